import pino from 'pino';

/** Ends a pino logger's transport (its worker thread) and waits until the worker has exited. */
export function closePino(logger: pino.Logger): Promise<void> {
  const stream = (logger as unknown as Record<symbol, unknown>)[
    pino.symbols.streamSym
  ] as NodeJS.EventEmitter & {
    end(): void;
  };
  return new Promise((resolve) => {
    stream.once('close', () => resolve());
    stream.end();
  });
}
