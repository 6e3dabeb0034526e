/**
 * The spool in pino's worker thread, in child processes configured by the environment alone:
 * a process killed during an outage, and a worker closing during one, keep their records on
 * disk; the next start sends them, in order, once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NodeRun, runNode, TABLE, useEmulator } from '../helpers.js';

const APP = fileURLToPath(new URL('../fixtures/spool-app.mjs', import.meta.url));
const emulator = useEmulator();
let dir: string;

beforeEach(() => {
  emulator().reset();
  dir = mkdtempSync(join(tmpdir(), 'pino-spool-'));
});
afterEach(async () => {
  await emulator().up();
  rmSync(dir, { recursive: true, force: true });
});

function env(): Record<string, string | undefined> {
  return {
    ...process.env,
    ...emulator().env(),
    AZURE_LOGS_INGESTION_SPOOL_DIR: dir,
    AZURE_LOGS_INGESTION_FLUSH_INTERVAL_MS: '200',
    // One request at a time: concurrent requests may land in any order.
    AZURE_LOGS_INGESTION_MAX_CONCURRENCY: '1',
    AZURE_LOGS_INGESTION_MAX_BATCH_RECORDS: '25',
  };
}

/** Records in the spool files under the folder, by their names (`…-<n>r.v1.seg`). */
const recordsOnDisk = (): number =>
  readdirSync(dir, { recursive: true }).reduce<number>(
    (n, f) => n + Number(/-(\d+)r\.v\d+\.seg$/.exec(String(f))?.[1] ?? 0),
    0,
  );

const indexes = () =>
  emulator()
    .rows(TABLE)
    .map((r) => (r.Properties as { i: number }).i);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

/** A process that starts with the service up, logs nothing, and ends by itself. */
function restart(): Promise<NodeRun> {
  return runNode([APP, 'end', '0', '0'], env());
}

describe('the spool in pino’s worker', () => {
  it('a process killed with SIGKILL during an outage: the next start sends what was on disk', async () => {
    await emulator().down('refuse');
    const child = spawn(process.execPath, [APP, 'stay', '0', '100'], {
      env: env(),
      stdio: 'ignore',
    });
    try {
      // A bound on a condition: the worker writes every record within one flush interval.
      const deadline = Date.now() + 20_000;
      while (recordsOnDisk() < 100) {
        if (Date.now() > deadline) throw new Error(`${recordsOnDisk()} of 100 records on disk`);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));
    expect(emulator().rows(TABLE)).toEqual([]);

    await emulator().up();
    const next = await restart();
    expect(next.code, next.stderr).toBe(0);
    expect(indexes()).toEqual(range(0, 100));
    expect(recordsOnDisk()).toBe(0);
  });

  it('a worker that closes during an outage keeps its records, says so, and the next start sends them', async () => {
    await emulator().down('refuse');
    const first = await runNode([APP, 'end', '0', '40'], env());
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(
      /pino-azure-ingestion: 40 of 40 records were not delivered \(0 rejected, 0 dropped, 40 kept in the spool for the next start\)/,
    );
    expect(recordsOnDisk()).toBe(40);

    await emulator().up();
    const next = await restart();
    expect(next.code, next.stderr).toBe(0);
    expect(indexes()).toEqual(range(0, 40));
    expect(recordsOnDisk()).toBe(0);
  }, 40_000);
});
