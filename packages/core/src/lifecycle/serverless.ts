/**
 * Flushing for handler-style platforms (AWS Lambda, Azure Functions, Google Cloud Functions, …).
 *
 * These platforms freeze or recycle the process as soon as the handler settles, so a batch that
 * waits for its timer is sent late (next invocation) or never. The helpers here await every
 * target's `flush()` after the handler settles, before the platform sees the result:
 *
 *   platform ──► wrapped handler ──► your handler ──► result / error
 *                                          │
 *                      flush every target (bounded by timeoutMs, errors reported, never thrown)
 *                                          │
 *   platform ◄──────── the same result / error
 *
 * Nothing here keeps a timer between invocations: the only timer bounds one flush and is
 * cleared (and unref'd) as soon as that flush settles.
 */
import { ConfigurationError } from '../errors.js';

/** A target whose `flush()` returns a promise: the core `IngestionClient`, the winston transport. */
export interface PromiseFlushTarget {
  flush(): PromiseLike<unknown>;
}

/** A target whose `flush(cb)` calls back when done: a pino logger (`logger.flush(cb)`). */
export interface CallbackFlushTarget {
  flush(callback: (error?: Error | null) => void): unknown;
}

/** Anything `withFlush` and `azureFunctionsFlushHook` can flush. */
export type FlushTarget = PromiseFlushTarget | CallbackFlushTarget;

/** Options of {@link withFlush}, {@link flushAll} and {@link azureFunctionsFlushHook}, passed after the targets. */
export interface FlushOptions {
  /**
   * Upper bound of the wait for each target's flush, in ms. A flush still running then is left
   * to finish in the background (the records stay buffered) and reported to `onError`.
   * @default 10000
   */
  readonly timeoutMs?: number;
  /**
   * Receives a flush that failed or timed out. Must not throw. The default writes one line to
   * stderr: a flush problem never changes the handler's result.
   */
  readonly onError?: (error: Error) => void;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 900_000; // AWS Lambda's own maximum run time

interface ResolvedFlush {
  readonly targets: readonly FlushTarget[];
  readonly timeoutMs: number;
  readonly onError: (error: Error) => void;
}

function isTarget(value: unknown): value is FlushTarget {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { flush?: unknown }).flush === 'function'
  );
}

function defaultOnError(error: Error): void {
  process.stderr.write(`azure-ingestion: flush after the handler failed: ${error.message}\n`);
}

/** Splits `...targets[, options]` and validates both; the only place that throws. */
function resolveFlush(fn: string, args: ReadonlyArray<FlushTarget | FlushOptions>): ResolvedFlush {
  const targets: FlushTarget[] = [];
  let options: FlushOptions = {};
  args.forEach((arg, i) => {
    if (isTarget(arg)) targets.push(arg);
    else if (i === args.length - 1 && typeof arg === 'object' && arg !== null) options = arg;
    else {
      throw new ConfigurationError([
        {
          option: `${fn}() argument ${i + 2}`,
          value: arg,
          problem:
            'is neither a flush target (an object with a flush() method) nor, in last place, an options object',
          fix: 'pass the logger, the transport or the ingestion client itself, e.g. withFlush(handler, transport)',
        },
      ]);
    }
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new ConfigurationError([
      {
        option: 'timeoutMs',
        value: timeoutMs,
        source: 'option',
        problem: `must be an integer from 1 to ${MAX_TIMEOUT_MS}`,
        fix: `pass e.g. { timeoutMs: ${DEFAULT_TIMEOUT_MS} } after the targets, below the platform's own timeout`,
      },
    ]);
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new ConfigurationError([
      {
        option: 'onError',
        value: options.onError,
        source: 'option',
        problem: 'must be a function',
        fix: 'pass (error) => { … } or leave it out to get a line on stderr',
      },
    ]);
  }
  return { targets, timeoutMs, onError: options.onError ?? defaultOnError };
}

function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Flushes one target; resolves with the problem (never rejects). */
function flushOne(target: FlushTarget, timeoutMs: number): Promise<Error | undefined> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(error === undefined || error === null ? undefined : toError(error));
    };
    const timer = setTimeout(
      () => done(new Error(`flush did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
    timer.unref();
    try {
      // pino's logger.flush(cb) declares its callback; a promise flush() declares nothing and
      // must not be handed a function it could take for an option.
      const result =
        target.flush.length >= 1
          ? (target as CallbackFlushTarget).flush((error) => done(error))
          : (target as PromiseFlushTarget).flush();
      if (isThenable(result))
        result.then(
          () => done(),
          (error: unknown) => done(error ?? 'flush rejected'),
        );
      else if (target.flush.length === 0) done();
    } catch (error) {
      done(error);
    }
  });
}

async function flushResolved(r: ResolvedFlush): Promise<void> {
  const problems = await Promise.all(r.targets.map((t) => flushOne(t, r.timeoutMs)));
  for (const problem of problems) {
    if (problem === undefined) continue;
    try {
      r.onError(problem);
    } catch {
      // onError must not throw; if it does, the handler's result still wins.
    }
  }
}

/**
 * Flushes every target at once and resolves when all are done, failed or timed out. Never
 * rejects: problems go to `onError`. Use it before `process.exit()` or at the end of a job.
 */
export function flushAll(
  ...targetsAndOptions: ReadonlyArray<FlushTarget | FlushOptions>
): Promise<void> {
  return flushResolved(resolveFlush('flushAll', targetsAndOptions));
}

/** A Lambda-style completion callback. */
type NodeCallback = (error?: unknown, result?: unknown) => void;

/** Any handler: async (returns a promise), or Lambda callback-style `(event, context, callback)`. */
// biome-ignore lint/suspicious/noConfusingVoidType: a callback-style handler returns nothing.
export type ServerlessHandler = (...args: never[]) => PromiseLike<unknown> | void;

/**
 * Wraps a handler so that every target is flushed after it settles, also when it throws or
 * rejects, before the platform gets the result. The result (or error) is passed through
 * unchanged; a flush problem never replaces it (it goes to `onError`).
 *
 * - async handlers (AWS Lambda, Google Cloud Functions, Azure Functions, Vercel, …): the
 *   wrapper returns a promise of the same result;
 * - Lambda callback-style handlers `(event, context, callback)`: the callback is called after
 *   the flush; the wrapper returns nothing, as the handler did.
 *
 * ```ts
 * export const handler = withFlush(async (event) => { logger.info('hi'); return { statusCode: 200 }; }, logger);
 * ```
 * Targets: the winston transport, a pino logger, an `IngestionClient`; options last.
 */
export function withFlush<H extends ServerlessHandler>(
  handler: H,
  ...targetsAndOptions: ReadonlyArray<FlushTarget | FlushOptions>
): H {
  if (typeof handler !== 'function') {
    throw new ConfigurationError([
      {
        option: 'withFlush() handler',
        value: handler,
        problem: 'must be a function',
        fix: 'pass the handler first and the targets after it: withFlush(handler, transport)',
      },
    ]);
  }
  const resolved = resolveFlush('withFlush', targetsAndOptions);
  const call = handler as unknown as (this: unknown, ...args: unknown[]) => unknown;

  async function afterPromise(pending: PromiseLike<unknown>): Promise<unknown> {
    try {
      return await pending;
    } finally {
      await flushResolved(resolved);
    }
  }

  // A real async function for promise-style handlers: runtimes that look at the handler's kind
  // (or its arity, set below) see the same thing as without the wrapper.
  async function wrappedAsync(this: unknown, ...args: unknown[]): Promise<unknown> {
    try {
      return await call.apply(this, args);
    } finally {
      await flushResolved(resolved);
    }
  }

  function wrappedCallback(this: unknown, ...args: unknown[]): unknown {
    const callback = args[2];
    if (typeof callback !== 'function')
      return afterPromise(Promise.resolve().then(() => call.apply(this, args)));
    let finished = false;
    const finish: NodeCallback = (error, result) => {
      if (finished) return;
      finished = true;
      void flushResolved(resolved).then(() => (callback as NodeCallback)(error, result));
    };
    const patched = [...args];
    patched[2] = finish;
    let result: unknown;
    try {
      result = call.apply(this, patched);
    } catch (error) {
      finish(error);
      return undefined;
    }
    // An async handler that also declares a callback: Lambda uses the promise.
    return isThenable(result) ? afterPromise(result) : undefined;
  }

  const wrapped = handler.length >= 3 ? wrappedCallback : wrappedAsync;
  Object.defineProperty(wrapped, 'name', { value: handler.name || 'handler' });
  Object.defineProperty(wrapped, 'length', { value: handler.length });
  return wrapped as unknown as H;
}

/**
 * The part of `@azure/functions`' `app` that {@link azureFunctionsFlushHook} uses (taken
 * structurally, so the core does not depend on that package).
 */
export interface FunctionsAppLike {
  readonly hook: {
    postInvocation(handler: (context: unknown) => Promise<void>): unknown;
    appTerminate?(handler: (context: unknown) => Promise<void>): unknown;
  };
}

/** What {@link azureFunctionsFlushHook} returns. */
export interface FlushHookRegistration {
  /** The hook function as registered: flushes every target. Call it yourself in unit tests. */
  readonly hook: () => Promise<void>;
  /** Unregisters the hooks (when the app object supports it). */
  dispose(): void;
}

function disposeOf(registration: unknown): void {
  if (
    typeof registration === 'object' &&
    registration !== null &&
    typeof (registration as { dispose?: unknown }).dispose === 'function'
  ) {
    (registration as { dispose(): void }).dispose();
  }
}

/**
 * Azure Functions (Node.js v4 programming model): registers a `postInvocation` hook that
 * flushes every target after each invocation (its result or error is already final, and a
 * flush problem never fails it), and an `appTerminate` hook that flushes once more when the
 * worker shuts down.
 *
 * ```ts
 * import { app } from '@azure/functions';
 * azureFunctionsFlushHook(app, transport, logger);
 * ```
 */
export function azureFunctionsFlushHook(
  app: FunctionsAppLike,
  ...targetsAndOptions: ReadonlyArray<FlushTarget | FlushOptions>
): FlushHookRegistration {
  if (typeof app?.hook?.postInvocation !== 'function') {
    throw new ConfigurationError([
      {
        option: 'azureFunctionsFlushHook() app',
        value: app,
        problem: 'has no hook.postInvocation() (it must be the app of @azure/functions v4)',
        fix: "pass `app` from `import { app } from '@azure/functions'` (version 4.x)",
      },
    ]);
  }
  const resolved = resolveFlush('azureFunctionsFlushHook', targetsAndOptions);
  const hook = (): Promise<void> => flushResolved(resolved);
  const registrations = [app.hook.postInvocation(hook)];
  if (typeof app.hook.appTerminate === 'function') registrations.push(app.hook.appTerminate(hook));
  return {
    hook,
    dispose: () => {
      for (const r of registrations) disposeOf(r);
    },
  };
}
