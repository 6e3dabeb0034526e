/**
 * "Done when" of the spool issue: from the packed packages, configured by environment
 * variables alone, a process killed with SIGKILL during an outage and started again delivers
 * what it had logged (winston, and pino with its worker thread). Each run is a child process in
 * a folder where only the packed packages are installed (test/helpers/packed.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, packedInstall, type Transport } from './helpers/packed.js';

const TABLE = 'AppLogs_CL';
let emu: Emulator;
const dirs: Partial<Record<Transport, string>> = {};
let spool: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  [dirs.winston, dirs.pino] = await Promise.all([packedInstall('winston'), packedInstall('pino')]);
}, 240_000);
afterAll(() => emu.stop());
beforeEach(() => {
  emu.reset();
  spool = mkdtempSync(join(tmpdir(), 'spool-packed-'));
});
afterEach(async () => {
  await emu.up();
  rmSync(spool, { recursive: true, force: true });
});

/** Runs the app in the packed folder; nothing but the environment configures it. */
function run(t: Transport, args: string[]) {
  return spawn(process.execPath, [join(dirs[t] as string, 'spool-app.mjs'), t, ...args], {
    cwd: dirs[t],
    env: cleanEnv({
      ...emu.env(),
      AZURE_LOGS_INGESTION_SPOOL_DIR: spool,
      AZURE_LOGS_INGESTION_FLUSH_INTERVAL_MS: '200',
      AZURE_LOGS_INGESTION_MAX_CONCURRENCY: '1',
      AZURE_LOGS_INGESTION_MAX_BATCH_RECORDS: '25',
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

function ended(child: ReturnType<typeof run>): Promise<{ code: unknown; stderr: string }> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const bound = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(bound);
      resolve({ code: code ?? signal, stderr });
    }),
  );
}

/** Records in the spool files under the folder, by their names (`…-<n>r.v1.seg`). */
const recordsOnDisk = (): number =>
  readdirSync(spool, { recursive: true }).reduce<number>(
    (n, f) => n + Number(/-(\d+)r\.v\d+\.seg$/.exec(String(f))?.[1] ?? 0),
    0,
  );

describe('packed packages, environment only: SIGKILL during an outage, then a restart', () => {
  it.each(['winston', 'pino'] as const)('%s delivers what it had logged', async (t) => {
    await emu.down('refuse');
    const first = run(t, ['stay', '0', '60']);
    const firstEnd = ended(first);
    const deadline = Date.now() + 20_000;
    while (recordsOnDisk() < 60) {
      if (Date.now() > deadline) {
        first.kill('SIGKILL');
        throw new Error(`${recordsOnDisk()} of 60 records on disk`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    first.kill('SIGKILL');
    expect((await firstEnd).code).toBe('SIGKILL');
    expect(emu.rows(TABLE)).toEqual([]);

    await emu.up();
    const next = await ended(run(t, ['end', '0', '0']));
    expect(next.code, next.stderr).toBe(0);
    const rows = emu.rows(TABLE).map((r) => (r.Properties as { i: number }).i);
    expect(rows).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect(recordsOnDisk()).toBe(0);
  });
});
