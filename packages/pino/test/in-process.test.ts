import pino from 'pino';
import { describe, expect, it } from 'vitest';
import pinoAzureIngestion, {
  type AzureIngestionStream,
  flushAll,
  withFlush,
} from '../src/index.js';
import { endAndClose as close, emulatorOptions, messages, TABLE, useEmulator } from './helpers.js';

const emulator = useEmulator();

function destination(extra: Record<string, unknown> = {}): Promise<AzureIngestionStream> {
  return pinoAzureIngestion(emulatorOptions(emulator(), extra));
}

describe('in-process factory: pino(opts, await factory(options))', () => {
  it('delivers records with the default columns once logger.flush(cb) calls back', async () => {
    emulator().reset();
    const stream = await destination();
    const logger = pino({ base: { pid: 1, hostname: 'host-a' } }, stream);
    const child = logger.child({ reqId: 'r-1' });
    child.info({ user: 'ann' }, 'first');
    child.error(new Error('bad thing'), 'second');
    logger.warn({ trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) }, 'third');
    expect(emulator().rows(TABLE)).toHaveLength(0);
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    // flush means delivered: the rows are there without waiting.
    const rows = emulator().rows(TABLE);
    expect(rows.map((r) => r.Message)).toEqual(['first', 'second', 'third']);
    expect(rows[0]).toMatchObject({
      Level: 'info',
      SeverityNumber: 9,
      Host: 'host-a',
      Properties: { pid: 1, reqId: 'r-1', user: 'ann' },
    });
    expect(rows[1]).toMatchObject({ Level: 'error', SeverityNumber: 17 });
    expect(rows[1]!.Exception).toMatchObject({ type: 'Error', message: 'bad thing' });
    expect(rows[2]).toMatchObject({ TraceId: 'a'.repeat(32), SpanId: 'b'.repeat(16) });
    expect(emulator().counters().columnsDropped).toBe(0);
    expect(stream.stats()).toMatchObject({ lines: 3, delivered: 3, rejected: 0, fastPath: 3 });
    await close(stream);
  });

  it('learns custom levels, messageKey and errorKey from pino itself', async () => {
    emulator().reset();
    const stream = await destination();
    const logger = pino(
      { customLevels: { audit: 35 }, messageKey: 'message', errorKey: 'error', level: 'info' },
      stream,
    );
    logger.audit('audited');
    logger.error(new Error('oops'), 'failed');
    await flushAll(logger);
    const rows = emulator().rows(TABLE);
    expect(rows[0]).toMatchObject({ Level: 'audit', SeverityNumber: 9, Message: 'audited' });
    expect(rows[1]).toMatchObject({ Message: 'failed', Exception: { message: 'oops' } });
    await close(stream);
  });

  it('counts a line that is not JSON and still sends it', async () => {
    emulator().reset();
    const stream = await destination();
    stream.write('plain text line\n{"level":30,"msg":"ok"}\n\n');
    await flushAll(stream);
    expect(messages(emulator())).toEqual(['plain text line', 'ok']);
    expect(stream.stats()).toMatchObject({ lines: 2, nonJson: 1, delivered: 2 });
    await close(stream);
  });

  it('a failed delivery is counted, never an error on the stream', async () => {
    emulator().reset();
    emulator().faults.enqueue({ status: 403, errorCode: 'OperationFailed' });
    const failures: string[] = [];
    const stream = await destination({
      onError: (f: { error: { code: string } }) => failures.push(f.error.code),
    });
    let errored = false;
    stream.on('error', () => {
      errored = true;
    });
    const logger = pino(stream);
    logger.info('lost');
    await flushAll(logger);
    logger.info('kept');
    await flushAll(logger);
    expect(errored).toBe(false);
    expect(failures).toEqual(['ERR_INGESTION_FORBIDDEN']);
    expect(stream.stats()).toMatchObject({ rejected: 1, delivered: 1 });
    expect(messages(emulator())).toEqual(['kept']);
    await close(stream);
  });

  it('closing the stream delivers what is buffered', async () => {
    emulator().reset();
    const stream = await destination();
    const logger = pino(stream);
    for (let i = 0; i < 50; i++) logger.info({ i }, `m${i}`);
    await close(stream);
    expect(emulator().rows(TABLE)).toHaveLength(50);
    expect(stream.stats()).toMatchObject({ delivered: 50, lines: 50 });
  });

  it('reads bytes too: a character cut between two chunks, a last line without newline', async () => {
    emulator().reset();
    const stream = await destination();
    const bytes = Buffer.from(
      `${JSON.stringify({ level: 30, msg: 'caf\u00e9 \u20ac \ud83d\ude00' })}\r\n{"level":40,"msg":"last"}`,
    );
    const euro = bytes.indexOf(0xe2); // the first byte of €: cut inside it
    stream.write(bytes.subarray(0, euro + 1));
    stream.write(bytes.subarray(euro + 1));
    await close(stream);
    const rows = emulator().rows(TABLE);
    expect(rows.map((r) => r.Message)).toEqual(['caf\u00e9 \u20ac \ud83d\ude00', 'last']);
    expect(rows.map((r) => r.Level)).toEqual(['info', 'warn']);
  });

  it("re-exports the core's serverless helpers, which take a pino logger", async () => {
    emulator().reset();
    const stream = await destination();
    const logger = pino(stream);
    const handler = withFlush(async (event: { id: number }) => {
      logger.info({ id: event.id }, 'handled');
      return event.id * 2;
    }, logger);
    // The handler's result is final only after the service acknowledged its records.
    await expect(handler({ id: 21 })).resolves.toBe(42);
    expect(messages(emulator())).toEqual(['handled']);
    logger.info('more');
    await flushAll(logger, { timeoutMs: 5000 });
    expect(emulator().rows(TABLE)).toHaveLength(2);
    await close(stream);
  });

  it('adds RecordId on the fast path too (recordId option)', async () => {
    emulator().reset();
    const stream = await destination({ recordId: true });
    const logger = pino(stream);
    logger.info('a');
    logger.info('b');
    await flushAll(logger);
    const ids = emulator()
      .rows(TABLE)
      .map((r) => r.RecordId);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    expect(stream.stats().fastPath).toBe(2);
    await close(stream);
  });

  it("emits 'unknown' (line, error) for a line that is not a JSON object, and still delivers it", async () => {
    emulator().reset();
    const stream = await destination();
    const seen: [string, unknown][] = [];
    stream.on('unknown', (line: string, error: unknown) => seen.push([line, error]));
    stream.write('not json\n{"level":30,"msg":"ok"}\n[1,2]\n');
    await new Promise((resolve) => stream.flush(resolve));
    expect(seen.map(([line]) => line)).toEqual(['not json', '[1,2]']);
    expect(seen[0]?.[1]).toBeInstanceOf(SyntaxError);
    expect(seen[1]?.[1]).toBe('not a JSON object (an array)');
    // Unlike pino-abstract-transport, which drops such a line, it becomes a record.
    const rows = emulator().rows(TABLE);
    expect(rows.map((r) => r.Message)).toEqual(['not json', 'ok', '[1,2]']);
    expect(stream.stats().nonJson).toBe(2);
    await close(stream);
  });

  it('throws a ConfigurationError naming the option', async () => {
    await expect(pinoAzureIngestion({ levelSeverities: { audit: 99 } })).rejects.toThrow(
      /levelSeverities\.audit/,
    );
    await expect(
      pinoAzureIngestion({ endpoint: 'not a url', ruleId: 'x', streamName: 'y', token: 't' }),
    ).rejects.toThrow(/AZURE_LOGS_INGESTION_ENDPOINT/);
  });
});
