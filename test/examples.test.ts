/**
 * Every example runs as users run it, against the emulator, and its logs are asserted there:
 * servers and scripts as child processes (`node examples/<file>` with the emulator's
 * AZURE_LOGS_INGESTION_* variables), handlers in-process, invoked the way their platform does.
 */
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runExample } from './helpers/child.js';
import { closePino } from './helpers/pino.js';

const TABLE = 'AppLogs_CL';
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
beforeEach(() => emu.reset());
afterAll(async () => {
  await emu.stop();
});

type Row = Record<string, unknown> & {
  Message: string;
  Level: string;
  Properties: Record<string, unknown>;
  Exception: { message?: string } | null;
};
const rows = () => emu.rows(TABLE) as Row[];
const messages = () => rows().map((r) => r.Message);
const row = (message: string) => {
  const found = rows().find((r) => r.Message === message);
  if (!found) throw new Error(`no row "${message}" among ${JSON.stringify(messages())}`);
  return found;
};

function expectClean() {
  const c = emu.counters();
  expect(c.columnsDropped).toBe(0);
  expect(c.typeErrors).toBe(0);
  expect(c.rowsDropped).toBe(0);
}

describe('servers and scripts (child processes)', () => {
  it('express-winston.mjs: request logs and errors, all delivered on SIGTERM, exit 0', async () => {
    const child = runExample('express-winston.mjs', emu.env());
    const [, base] = await child.waitFor(/listening on (http:\/\/\S+)/);
    const ok = await fetch(`${base}/orders/7`);
    expect(await ok.json()).toEqual({ id: 7, status: 'shipped' });
    const failed = await fetch(`${base}/fail`);
    expect(failed.status).toBe(500);
    await failed.text();

    child.proc.kill('SIGTERM');
    expect(await child.exited(), child.stderr()).toBe(0);

    expect(row('order fetched').Properties).toMatchObject({ orderId: 7, service: 'orders-api' });
    const failure = row('request failed');
    expect(failure.Level).toBe('error');
    expect(failure.Exception?.message).toBe('inventory service unavailable');
    expect(messages().filter((m) => m === 'request completed')).toHaveLength(2);
    expect(messages()).toContain('shutting down');
    expectClean();
  });

  it('fastify-pino.mjs: Fastify request logs through the pino worker, all delivered on SIGTERM, exit 0', async () => {
    const child = runExample('fastify-pino.mjs', emu.env());
    const [, base] = await child.waitFor(/listening on (http:\/\/\S+)/);
    expect(await (await fetch(`${base}/products/3`)).json()).toEqual({ id: 3, name: 'kettle' });
    const failed = await fetch(`${base}/fail`);
    expect(failed.status).toBe(500);
    await failed.text();

    child.proc.kill('SIGTERM');
    expect(await child.exited(), child.stderr()).toBe(0);

    expect(row('product fetched').Properties).toMatchObject({
      productId: 3,
      service: 'catalog-api',
    });
    expect(messages().filter((m) => m === 'incoming request')).toHaveLength(2);
    expect(messages().filter((m) => m === 'request completed')).toHaveLength(2);
    const failure = rows().find((r) => r.Level === 'error');
    expect(failure?.Exception?.message).toBe('price service unavailable');
    expect(messages()).toContain('shutting down');
    expectClean();
  });

  it('container-server.mjs: SIGTERM drains the request in flight, every log lands, exit 0', async () => {
    const child = runExample('container-server.mjs', emu.env());
    const [, base] = await child.waitFor(/listening on (http:\/\/\S+)/);
    // The headers arrive at once: the request is in flight when SIGTERM is sent.
    const inFlight = await fetch(`${base}/work?ms=300`);
    expect(inFlight.status).toBe(200);

    child.proc.kill('SIGTERM');
    expect(await inFlight.text()).toBe('done\n');
    expect(await child.exited(), child.stderr()).toBe(0);

    const expected = [
      'started',
      'work started',
      'SIGTERM received, draining',
      'work finished',
      'stopped',
    ];
    expect([...messages()].sort()).toEqual([...expected].sort());
    // The request was drained: it finished after the signal, and "stopped" came last.
    const at = (m: string) => Date.parse(String(row(m).TimeGenerated));
    expect(at('work finished')).toBeGreaterThanOrEqual(at('SIGTERM received, draining'));
    expect(at('stopped')).toBeGreaterThanOrEqual(at('work finished'));
    expectClean();
  });

  it('exit-after-log.mjs: logs written right before process.exit() land, from winston and pino', async () => {
    const child = runExample('exit-after-log.mjs', emu.env());
    expect(await child.exited(), child.stderr()).toBe(0);

    const exported = rows().filter((r) => r.Message === 'export finished');
    expect(exported.map((r) => r.Properties.logger).sort()).toEqual(['pino', 'winston']);
    for (const r of exported)
      expect(r.Properties).toMatchObject({ exported: 128, job: 'nightly-export' });
    expectClean();
  });
});

describe('the demo (npm run demo runs it after install and build)', () => {
  it('demo.mjs: logs through winston and pino into one table, prints the rows and counts, exits 0', async () => {
    // The demo embeds its own emulator: no AZURE_LOGS_INGESTION_* variables needed.
    const child = runExample('demo.mjs', { NO_COLOR: '1' });
    expect(await child.exited(), child.stderr()).toBe(0);
    const out = child.stdout();
    expect(out).toContain('Rows in AppLogs_CL: 2010');
    expect(out).toMatch(/\| \d\d:\d\d:\d\d\.\d{3} +\| error \| winston \| payment declined +\|/);
    expect(out).toMatch(/\| error \| pino +\| invoice job failed +\|/);
    expect(out).toMatch(/winston +delivered 1005, rejected 0, retried \d/);
    expect(out).toMatch(/pino +delivered 1005, rejected 0, retried \d/);
    // The demo's one 503 is retried by whichever logger's request met it first.
    const retried = [...out.matchAll(/retried (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(retried).toBe(1);
    // One 503, then at least one 204 per logger (more if a batch timer fired mid-burst).
    expect(out).toMatch(/requests +\d+ \(1 x 503, \d+ x 204\)/);
    expect(out).toMatch(/rows ingested 2010, columns dropped 0, type errors 0/);
    expect(out).toMatch(/bytes +[\d,]+ JSON -> [\d,]+ gzip/);
    expect(out).toContain('OK  every log landed');
    // NO_COLOR (and no TTY): plain printable ASCII only, no colour escapes.
    expect(out).toMatch(/^[\n -~]*$/);
  });
});

describe('handlers (in-process, invoked as their platform does)', () => {
  beforeAll(() => {
    // The examples read their configuration from the environment, as they do in the cloud.
    Object.assign(process.env, emu.env());
  });

  it('lambda-handler.mjs: the logs are delivered when the handler resolves', async () => {
    const { handler, logger } = await import('../examples/lambda-handler.mjs');
    const context = { awsRequestId: 'req-1' } as never;

    const accepted = await handler(
      { rawPath: '/orders', body: '{"items":[1,2,3]}' } as never,
      context,
    );
    expect(accepted).toEqual({ statusCode: 202, body: '{"accepted":3}' });
    // No waiting: withFlush resolved only after the service acknowledged.
    expect(messages()).toEqual(['event received', 'order accepted']);
    expect(row('order accepted').Properties).toMatchObject({ items: 3, awsRequestId: 'req-1' });

    const refused = await handler(
      { rawPath: '/orders', body: '{}' } as never,
      { awsRequestId: 'req-2' } as never,
    );
    expect(refused).toMatchObject({ statusCode: 400 });
    expect(messages()).toEqual([
      'event received',
      'order accepted',
      'event received',
      'no items in the order',
    ]);
    expect(row('no items in the order').Level).toBe('warn');
    expectClean();
    await closePino(logger);
  });

  it('azure-function.mjs: the postInvocation hook delivers the invocation logs', async () => {
    const { HttpRequest, InvocationContext } = await import('@azure/functions');
    const { hello, flushing, transport } = await import('../examples/azure-function.mjs');

    // What the Functions host does: call the handler, then the postInvocation hooks.
    const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/hello?name=Ada' });
    const response = await hello(
      request,
      new InvocationContext({ functionName: 'hello', invocationId: 'inv-1' }),
    );
    expect(response).toEqual({ status: 200, jsonBody: { greeting: 'Hello, Ada!' } });
    await flushing.hook();
    expect(row('greeting').Properties).toMatchObject({
      name: 'Ada',
      invocationId: 'inv-1',
      app: 'greetings',
    });

    const bad = new HttpRequest({ method: 'GET', url: 'http://localhost/api/hello?name=error' });
    const refused = await hello(
      bad,
      new InvocationContext({ functionName: 'hello', invocationId: 'inv-2' }),
    );
    expect(refused.status).toBe(400);
    await flushing.hook();
    expect(row('refusing to greet').Exception?.message).toBe('bad name');
    expectClean();
    await transport.close();
  });
});
