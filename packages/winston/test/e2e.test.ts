import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import winston from 'winston';
import { AzureIngestionTransport, type AzureIngestionTransportOptions } from '../src/index.js';
import { AUDIT_DCR, AUDIT_RULE_ID } from './helpers/audit-dcr.js';

const TABLE = 'AppLogs_CL';
let emu: Emulator;
const open: AzureIngestionTransport[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.stop();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
  emu.reset();
});

/** A transport pointed at the emulator through env, as users configure it. */
function transport(options: AzureIngestionTransportOptions = {}): AzureIngestionTransport {
  const t = new AzureIngestionTransport({ warnings: false, ...options }, { ...emu.env() });
  open.push(t);
  return t;
}

function rowsBy(message: string): Array<Record<string, unknown>> {
  return emu.rows(TABLE).filter((r) => r.Message === message);
}

describe('AzureIngestionTransport through the emulator', () => {
  it('delivers child-logger defaults, defaultMeta and splat meta as Properties', async () => {
    const t = transport();
    const logger = winston.createLogger({
      defaultMeta: { service: 'api' },
      format: winston.format.combine(winston.format.splat(), winston.format.json()),
      transports: [t],
    });
    logger.child({ requestId: 'r-1' }).info('user %s did %d things', 'bob', 3, { extra: true });
    await t.flush();
    const [row] = rowsBy('user bob did 3 things');
    expect(row).toMatchObject({
      Level: 'info',
      SeverityNumber: 9,
      Properties: { service: 'api', requestId: 'r-1', extra: true },
    });
    expect(new Date(String(row?.TimeGenerated)).getTime()).toBeGreaterThan(0);
  });

  it('delivers errors with their causes in Exception, from every winston error style', async () => {
    const t = transport();
    const logger = winston.createLogger({
      format: winston.format.combine(winston.format.errors({ stack: true }), winston.format.json()),
      transports: [t],
    });
    const root = new RangeError('disk full');
    logger.error(new Error('write failed', { cause: root }));
    logger.error('request failed', { error: new TypeError('bad input', { cause: root }) });
    await t.flush();
    const [viaErrors] = rowsBy('write failed');
    const exception = viaErrors?.Exception as Record<string, unknown>;
    expect(exception).toMatchObject({ type: 'Error', message: 'write failed' });
    expect(String(exception.stack)).toContain('write failed');
    const [viaMeta] = rowsBy('request failed');
    expect(viaMeta?.Exception).toMatchObject({
      type: 'TypeError',
      message: 'bad input',
      cause: { type: 'RangeError', message: 'disk full' },
    });
  });

  it('maps custom levels through the levels option, syslog levels by inference', async () => {
    const t = transport({ levels: { audit: 10, panic: 21 } });
    const logger = winston.createLogger({
      levels: { panic: 0, error: 1, audit: 2, info: 3 },
      level: 'info',
      transports: [t],
    });
    logger.log('audit', 'who did what');
    logger.log('panic', 'all is lost');
    const s = transport();
    const syslog = winston.createLogger({ levels: winston.config.syslog.levels, transports: [s] });
    syslog.log('crit', 'critical thing');
    await Promise.all([t.flush(), s.flush()]);
    expect(rowsBy('who did what')[0]).toMatchObject({ Level: 'audit', SeverityNumber: 10 });
    expect(rowsBy('all is lost')[0]).toMatchObject({ Level: 'panic', SeverityNumber: 21 });
    expect(rowsBy('critical thing')[0]).toMatchObject({ Level: 'crit' });
    expect(rowsBy('critical thing')[0]?.SeverityNumber).toBeGreaterThanOrEqual(17);
  });

  it('delivers exactly 10,000 rows for 10,000 logs after await close()', async () => {
    const t = transport();
    const logger = winston.createLogger({ format: winston.format.json(), transports: [t] });
    for (let i = 0; i < 10_000; i++) logger.info('bulk', { i });
    const stats = await t.close();
    const rows = rowsBy('bulk');
    expect(rows).toHaveLength(10_000);
    expect(new Set(rows.map((r) => (r.Properties as { i: number }).i)).size).toBe(10_000);
    expect(stats).toMatchObject({ accepted: 10_000, delivered: 10_000, dropped: 0, rejected: 0 });
    expect(await t.close()).toEqual(stats);
  });

  it("logger.end(): the logger's 'finish' comes after the logs are delivered", async () => {
    const t = transport();
    const logger = winston.createLogger({ transports: [t] });
    for (let i = 0; i < 500; i++) logger.info('ending', { i });
    const finished = new Promise((resolve) => logger.on('finish', resolve));
    logger.end();
    await finished;
    expect(rowsBy('ending')).toHaveLength(500);
  });

  it('emits logged, and delivery failures never become an error event', async () => {
    const failures: unknown[] = [];
    const t = transport({ maxRetries: 0, onError: (f) => failures.push(f) });
    const errors: unknown[] = [];
    t.on('error', (e) => errors.push(e));
    const logger = winston.createLogger({ transports: [t] });
    emu.faults.enqueue({ status: 403, errorCode: 'OperationFailed' });
    const logged = new Promise((resolve) => t.once('logged', resolve));
    logger.info('refused');
    expect(await logged).toMatchObject({ message: 'refused' });
    const stats = await t.flush();
    logger.info('accepted later');
    await t.flush();
    expect(errors).toEqual([]);
    expect(failures).toHaveLength(1);
    expect(stats.rejected).toBe(1);
    expect(rowsBy('accepted later')).toHaveLength(1);
    expect(logger.transports).toContain(t);
  });

  it("emits 'logged' for exactly the logs made while someone listens", async () => {
    const t = transport();
    const logger = winston.createLogger({ transports: [t] });
    const seen: string[] = [];
    logger.info('before any listener');
    const listener = (info: { message: string }) => seen.push(info.message);
    t.on('logged', listener);
    logger.info('right after on()'); // same tick as on(): must be seen
    const once = new Promise((resolve) => t.once('logged', resolve));
    logger.info('with two listeners');
    await once;
    t.off('logged', listener);
    logger.info('after off()');
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['right after on()', 'with two listeners']);
    expect(t.listenerCount('logged')).toBe(0);
    await t.close();
  });

  it('an exception info is flushed at once; the transport ends only when winston will exit', async () => {
    const err = new Error('uncaught');
    const exceptionInfo = () => ({
      error: err,
      level: 'error',
      message: 'uncaught',
      exception: true,
    });
    // flushIntervalMs at its maximum: only the exception path can deliver in time.
    const keep = transport({ flushIntervalMs: 600_000, handleExceptions: true });
    const staying = winston.createLogger({ exitOnError: false, transports: [keep] });
    const logged = new Promise((resolve) => keep.once('logged', resolve));
    keep.log(exceptionInfo(), () => {});
    await logged;
    expect(rowsBy('uncaught')).toHaveLength(1);
    // The process stays: the transport must keep working.
    staying.info('still open');
    await keep.flush();
    expect(rowsBy('still open')).toHaveLength(1);

    const exiting = transport({ flushIntervalMs: 600_000, handleExceptions: true });
    const leaving = winston.createLogger({
      exitOnError: (e: Error) => e === err,
      transports: [exiting],
    });
    const finished = new Promise((resolve) => exiting.once('finish', resolve));
    exiting.log(exceptionInfo(), () => {});
    await finished;
    expect(rowsBy('uncaught')).toHaveLength(2);
    // handleExceptions made both loggers listen on process: stop that.
    staying.exceptions.unhandle();
    leaving.exceptions.unhandle();
  });

  it("winston's close hook: logger.remove() closes the transport after delivery", async () => {
    const t = transport({ level: 'warn' });
    const logger = winston.createLogger({ level: 'debug', transports: [t] });
    logger.info('below the transport level');
    logger.warn('removed after this');
    logger.remove(t);
    const stats = await t.close(); // the promise winston's unpipe hook started
    expect(stats).toMatchObject({ accepted: 1, delivered: 1 });
    expect(emu.rows(TABLE).map((r) => r.Message)).toEqual(['removed after this']);
  });

  it('a throwing toRecord is reported as a warn event; logging goes on', async () => {
    const t = transport({
      toRecord: (info) => {
        if (info.message === 'bad') throw new Error('hook bug');
        return { TimeGenerated: new Date().toISOString(), Message: info.message };
      },
    });
    const warnings: unknown[] = [];
    const logger = winston.createLogger({ transports: [t] });
    logger.on('warn', (err: unknown) => warnings.push(err));
    expect(() => logger.info('bad')).not.toThrow();
    logger.info('good');
    await t.flush();
    expect(warnings).toMatchObject([{ message: 'hook bug' }]);
    expect(emu.rows(TABLE).map((r) => r.Message)).toEqual(['good']);
  });

  it('an info whose reading throws (a getter, a Proxy) still lands, and never throws', async () => {
    const t = transport();
    const LEVEL = Symbol.for('level');
    const getter = { level: 'info', message: 'getter', [LEVEL]: 'info', ok: 1 };
    Object.defineProperty(getter, 'boom', {
      enumerable: true,
      get() {
        throw new Error('getter throws');
      },
    });
    const hidden = new Proxy(
      { level: 'warn', message: 'proxy', [LEVEL]: 'warn' },
      {
        ownKeys() {
          throw new Error('no keys');
        },
      },
    );
    expect(() => t.log(getter, () => {})).not.toThrow();
    expect(() => t.log(hidden, () => {})).not.toThrow();
    const stats = await t.flush();
    expect(stats).toMatchObject({ accepted: 2, delivered: 2 });
    expect(rowsBy('getter')[0]?.Properties).toEqual({
      ok: 1,
      boom: '[Unserializable: getter throws]',
    });
    expect(emu.rows(TABLE).map((r) => [r.Level, r.Message])).toContainEqual([
      'warn',
      '[Unserializable log: [Unserializable: no keys]]',
    ]);
  });

  it('renames and leaves out columns', async () => {
    const t = transport({ columns: { Host: null, Message: 'Msg' } });
    winston.createLogger({ transports: [t] }).info('renamed');
    await t.flush();
    const [row] = emu.rows(TABLE);
    expect(row).toBeDefined();
    expect(row).not.toHaveProperty('Host');
    expect(row).not.toHaveProperty('Message');
    expect(emu.counters().columnsDropped).toBeGreaterThan(0);
  });

  it('toRecord: a fully custom record for a custom stream', async () => {
    const custom = await startEmulator({ port: 0, dcrs: [AUDIT_DCR] });
    try {
      const t = new AzureIngestionTransport(
        {
          warnings: false,
          toRecord: (info) => ({
            TimeGenerated: new Date().toISOString(),
            Actor: info.actor,
            Action: info.message,
          }),
        },
        custom.env({ stream: 'Custom-Audit', ruleId: AUDIT_RULE_ID }),
      );
      open.push(t);
      winston.createLogger({ transports: [t] }).info('deleted repo', { actor: 'alice' });
      await t.flush();
      expect(custom.rows('Audit_CL')).toMatchObject([{ Actor: 'alice', Action: 'deleted repo' }]);
    } finally {
      await custom.stop();
    }
  });
});
