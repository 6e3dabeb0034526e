import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { IngestionClient } from '../src/client.js';
import { ConfigurationError } from '../src/errors.js';
import {
  azureFunctionsFlushHook,
  type FlushTarget,
  flushAll,
  withFlush,
} from '../src/lifecycle/serverless.js';

const TABLE = 'AppLogs_CL';
// Far beyond any test: records only leave the buffer when something flushes them.
const NEVER_MS = 600_000;

let emu: Emulator;
const clients: IngestionClient[] = [];

function newClient(): IngestionClient {
  const client = new IngestionClient({
    url: emu.streamUrl(),
    token: emu.token(),
    flushIntervalMs: NEVER_MS,
    warnings: false,
  });
  clients.push(client);
  return client;
}

function record(message: string): Record<string, unknown> {
  return {
    TimeGenerated: new Date().toISOString(),
    Level: 'info',
    SeverityNumber: 9,
    Message: message,
  };
}

function messages(): unknown[] {
  return emu.rows(TABLE).map((r) => r.Message);
}

/** A pino-logger-shaped target: flush(cb) calls back once the client's flush is done. */
function callbackTarget(client: IngestionClient): FlushTarget {
  return {
    flush(cb: (error?: Error | null) => void) {
      client.flush().then(
        () => cb(),
        (error: Error) => cb(error),
      );
    },
  };
}

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  emu.reset();
  vi.useRealTimers();
});
afterAll(async () => {
  await emu.stop();
});

describe('withFlush', () => {
  it('delivers what the handler logged before its promise settles, and passes the result through', async () => {
    const client = newClient();
    const handler = withFlush(async (event: { n: number }) => {
      client.push(record(`event ${event.n}`));
      client.push(record('done'));
      return { statusCode: 200, n: event.n };
    }, client);

    const result = await handler({ n: 7 });

    expect(result).toEqual({ statusCode: 200, n: 7 });
    // No waiting: the rows are there when the wrapped handler resolves.
    expect(messages()).toEqual(['event 7', 'done']);
    expect(client.stats().delivered).toBe(2);
  });

  it('flushes when the handler rejects and rethrows the same error', async () => {
    const client = newClient();
    const boom = new Error('handler failed');
    const handler = withFlush(async () => {
      client.push(record('before the failure'));
      throw boom;
    }, client);

    await expect(handler()).rejects.toBe(boom);
    expect(messages()).toEqual(['before the failure']);
  });

  it('flushes when a synchronous handler throws', async () => {
    const client = newClient();
    const boom = new Error('sync failure');
    const handler = withFlush((): Promise<void> => {
      client.push(record('sync'));
      throw boom;
    }, client);

    await expect(handler()).rejects.toBe(boom);
    expect(messages()).toEqual(['sync']);
  });

  it('calls a Lambda callback-style handler back only after the flush', async () => {
    const client = newClient();
    type Cb = (error: Error | null, result?: string) => void;
    const handler = withFlush((event: string, _context: object, callback: Cb): void => {
      client.push(record(event));
      setImmediate(() => callback(null, `ok ${event}`));
    }, client);

    const seen = await new Promise<{ result: string | undefined; rows: unknown[] }>((resolve) => {
      const returned = handler('cb-event', {}, (error, result) => {
        expect(error).toBeNull();
        resolve({ result, rows: messages() });
      });
      expect(returned).toBeUndefined();
    });

    expect(seen).toEqual({ result: 'ok cb-event', rows: ['cb-event'] });
  });

  it('flushes several targets, callback-style (pino) and promise-style, together', async () => {
    const a = newClient();
    const b = newClient();
    const handler = withFlush(
      async () => {
        a.push(record('from a'));
        b.push(record('from b'));
      },
      a,
      callbackTarget(b),
    );

    await handler();

    expect(messages().sort()).toEqual(['from a', 'from b']);
  });

  it('keeps the handler result when a flush fails, and reports the failure', async () => {
    const problems: Error[] = [];
    const failing: FlushTarget = { flush: () => Promise.reject(new Error('flush exploded')) };
    const failingCb: FlushTarget = {
      flush: (cb: (error?: Error | null) => void) => cb(new Error('cb exploded')),
    };
    const throwing: FlushTarget = {
      flush: () => {
        throw new Error('flush threw');
      },
    };
    const handler = withFlush(async () => 'result', failing, failingCb, throwing, {
      onError: (e) => problems.push(e),
    });

    await expect(handler()).resolves.toBe('result');
    expect(problems.map((e) => e.message).sort()).toEqual([
      'cb exploded',
      'flush exploded',
      'flush threw',
    ]);
  });

  it('stops waiting for a flush that never ends after timeoutMs', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const problems: Error[] = [];
    const stuck: FlushTarget = { flush: () => new Promise<void>(() => {}) };
    const handler = withFlush(async () => 'late but there', stuck, {
      timeoutMs: 5_000,
      onError: (e) => problems.push(e),
    });

    const pending = handler();
    await vi.advanceTimersByTimeAsync(4_999);
    expect(problems).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);

    await expect(pending).resolves.toBe('late but there');
    expect(problems.map((e) => e.message)).toEqual(['flush did not finish within 5000 ms']);
  });

  it('leaves no timer behind between invocations', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const target: FlushTarget = { flush: () => Promise.resolve() };
    const handler = withFlush(async () => 1, target);
    const before = timers();

    await handler();
    await handler();

    expect(timers()).toBe(before);
  });

  it('keeps `this` and the arguments of the call', async () => {
    const target: FlushTarget = { flush: () => Promise.resolve() };
    const obj = {
      factor: 3,
      run: withFlush(async function (this: { factor: number }, x: number, y: number) {
        return this.factor * (x + y);
      }, target),
    };
    await expect(obj.run(1, 2)).resolves.toBe(9);
  });

  it('looks like the handler it wraps: same name, arity and kind (async or callback-style)', () => {
    const target: FlushTarget = { flush: () => Promise.resolve() };
    async function orders(_event: unknown, _context: unknown) {
      return 1;
    }
    const wrappedAsync = withFlush(orders, target);
    expect(wrappedAsync.name).toBe('orders');
    expect(wrappedAsync.length).toBe(2);
    expect(wrappedAsync.constructor.name).toBe('AsyncFunction');
    const wrappedCb = withFlush((_e: unknown, _c: unknown, _cb: () => void): void => {}, target);
    expect(wrappedCb.length).toBe(3);
    expect(wrappedCb.constructor.name).toBe('Function');
  });

  it('rejects bad arguments at construction with the option and the fix', () => {
    const target: FlushTarget = { flush: () => Promise.resolve() };
    expect(() => withFlush(async () => 1, 42 as unknown as FlushTarget, target)).toThrow(
      ConfigurationError,
    );
    expect(() => withFlush(async () => 1, target, { timeoutMs: 0 })).toThrow(/timeoutMs.*got 0/s);
    expect(() => withFlush('nope' as unknown as () => Promise<void>, target)).toThrow(
      /handler: must be a function/,
    );
  });
});

describe('flushAll', () => {
  it('resolves once every target delivered, never rejects', async () => {
    const client = newClient();
    client.push(record('flushAll'));
    const problems: Error[] = [];
    await flushAll(
      client,
      { flush: () => Promise.reject(new Error('x')) },
      { onError: (e) => problems.push(e) },
    );
    expect(messages()).toEqual(['flushAll']);
    expect(problems).toHaveLength(1);
  });
});

describe('azureFunctionsFlushHook', () => {
  /** The `app` of @azure/functions v4, reduced to its hook registry (the host calls these). */
  function fakeApp() {
    const post: Array<(ctx: never) => Promise<void>> = [];
    const terminate: Array<(ctx: never) => Promise<void>> = [];
    let disposed = 0;
    const registration = { dispose: () => void disposed++ };
    return {
      post,
      terminate,
      disposed: () => disposed,
      app: {
        hook: {
          postInvocation(h: (ctx: never) => Promise<void>) {
            post.push(h);
            return registration;
          },
          appTerminate(h: (ctx: never) => Promise<void>) {
            terminate.push(h);
            return registration;
          },
        },
      },
    };
  }

  it('registers a postInvocation hook that delivers what the invocation logged', async () => {
    const client = newClient();
    const { app, post, terminate, disposed } = fakeApp();
    const registration = azureFunctionsFlushHook(app, client);
    expect(post).toHaveLength(1);
    expect(terminate).toHaveLength(1);

    // What the Functions host does: run the handler, then the postInvocation hooks.
    client.push(record('http trigger'));
    expect(messages()).toEqual([]);
    await post[0]!({} as never);
    expect(messages()).toEqual(['http trigger']);

    client.push(record('shutting down'));
    await terminate[0]!({} as never);
    expect(messages()).toEqual(['http trigger', 'shutting down']);

    registration.dispose();
    expect(disposed()).toBe(2);
  });

  it('never throws from the hook when a flush fails', async () => {
    const { app, post } = fakeApp();
    const problems: Error[] = [];
    azureFunctionsFlushHook(
      app,
      { flush: () => Promise.reject(new Error('down')) },
      {
        onError: (e) => problems.push(e),
      },
    );
    await expect(post[0]!({} as never)).resolves.toBeUndefined();
    expect(problems.map((e) => e.message)).toEqual(['down']);
  });

  it('refuses an object that is not the v4 app', () => {
    expect(() => azureFunctionsFlushHook({} as never, { flush: () => Promise.resolve() })).toThrow(
      /hook\.postInvocation/,
    );
  });
});
