/**
 * pino's real worker thread loading the built package by its name, as users configure it.
 * (Run `pnpm --filter pino-azure-ingestion build` first.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { EVENTS, type TransportStats } from 'pino-azure-ingestion';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorOptions, endAndClose, flush, messages, TABLE, useEmulator } from '../helpers.js';

const emulator = useEmulator();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pino-azure-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const options = (extra: Record<string, unknown> = {}) => emulatorOptions(emulator(), extra);

/** Ends the worker. Flush first: ending blocks this thread, and the emulator runs in it. */
const end = (transport: pino.DestinationStream & NodeJS.EventEmitter): Promise<void> =>
  endAndClose(transport as unknown as Parameters<typeof endAndClose>[0]);

describe('worker mode: pino.transport({ target: "pino-azure-ingestion" })', () => {
  it('delivers before logger.flush(cb) calls back, and reports stats to the main thread', async () => {
    emulator().reset();
    const transport = pino.transport({ target: 'pino-azure-ingestion', options: options() });
    const stats: TransportStats[] = [];
    transport.on(EVENTS.stats, (s: TransportStats) => stats.push(s));
    const logger = pino({ customLevels: { audit: 35 } }, transport);
    logger.info({ a: 1 }, 'one');
    logger.audit('two');
    logger.error(new Error('three'));
    await flush(logger);
    const rows = emulator().rows(TABLE);
    expect(rows.map((r) => r.Level)).toEqual(['info', 'audit', 'error']);
    expect(rows[0]).toMatchObject({ Message: 'one', SeverityNumber: 9, Properties: { a: 1 } });
    expect(rows[2]!.Exception).toMatchObject({ message: 'three' });
    expect(stats.at(-1)).toMatchObject({ lines: 3, delivered: 3, fastPath: 3 });
    await end(transport);
  });

  it('survives malformed lines and failed requests; failures reach the main thread', async () => {
    emulator().reset();
    emulator().faults.enqueue({ status: 400, errorCode: 'InvalidPayload' });
    const transport = pino.transport({
      target: 'pino-azure-ingestion',
      // Warnings on: the one about the rejected record must reach this thread as an event.
      options: options({ warnings: true, warningIntervalMs: 0 }),
    });
    const failures: { code: string; records: number }[] = [];
    const warnings: string[] = [];
    transport.on(EVENTS.failure, (f: { code: string; records: number }) => failures.push(f));
    transport.on(EVENTS.warning, (line: string) => warnings.push(line));
    let errored = false;
    transport.on('error', () => {
      errored = true;
    });
    const logger = pino(transport);
    logger.info('rejected by the fault');
    await flush(logger);
    (transport as unknown as { write(s: string): void }).write('garbage {{{\n');
    logger.info('after');
    await flush(logger);
    expect(errored).toBe(false);
    expect(failures).toEqual([
      expect.objectContaining({ code: 'ERR_INGESTION_BAD_REQUEST', records: 1 }),
    ]);
    expect(messages(emulator())).toEqual(['garbage {{{', 'after']);
    expect(warnings.join('\n')).toMatch(/400|rejected|InvalidPayload/);
    await end(transport);
  });

  it('works beside a file target in one pino.transport({ targets })', async () => {
    emulator().reset();
    const file = join(dir, 'app.log');
    const transport = pino.transport({
      targets: [
        { target: 'pino/file', options: { destination: file, mkdir: true }, level: 'info' },
        {
          target: 'pino-azure-ingestion',
          options: options({ flushIntervalMs: 50 }),
          level: 'warn',
        },
      ],
    });
    const logger = pino({ level: 'info' }, transport);
    logger.info('file only');
    logger.warn('both');
    logger.error({ err: new Error('x') }, 'both again');
    // pino's multi-target worker has no flush hook: wait for the rows instead.
    await emulator().waitForRows(TABLE, 2, 10_000);
    await end(transport);
    expect(messages(emulator())).toEqual(['both', 'both again']);
    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).msg);
    expect(lines).toEqual(['file only', 'both', 'both again']);
  });
});
