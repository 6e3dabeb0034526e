/**
 * For handlers (AWS Lambda, Azure Functions, …) that end the invocation when they return: await
 * delivery before returning, in either mode, since `logger.flush(cb)` here means "acknowledged".
 */

/** Anything with pino's `flush(cb)`: a pino logger, or the stream of the factory. */
export interface Flushable {
  flush(callback: (error?: Error | null) => void): unknown;
}

/**
 * Resolves when every record logged before the call has been acknowledged by the service (or
 * finally failed), or after `timeoutMs`, whichever comes first. Never rejects.
 *
 * ```ts
 * logger.info({ orderId }, 'handled');
 * await flushLogger(logger); // before the handler returns
 * ```
 * With `targets: [...]` (several targets in one worker) pino's worker has no flush hook: this
 * then only waits until the worker has read the lines.
 */
export function flushLogger(logger: Flushable, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    try {
      logger.flush(done);
    } catch {
      done();
    }
  });
}
