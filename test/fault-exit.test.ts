/**
 * The last rows of the fault matrix (fault-matrix.test.ts): the process ending while records are
 * being delivered, by SIGTERM (no handler of the app's) and by process.exit(). An app in a child
 * process (fixtures/exit-during-delivery.mjs) logs against an emulator slowed down so that
 * requests are in flight when it ends. What it acknowledged is stored once; what it could not
 * deliver is counted as dropped and handed to onError, synchronously, before the process ends.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DeliveryFailure, IngestionStats } from 'azure-ingestion-core';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDelivery } from './helpers/delivery-check.js';

const APP = fileURLToPath(new URL('fixtures/exit-during-delivery.mjs', import.meta.url));
const RECORDS = 2000;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, latencyMs: 100 });
});
afterAll(() => emu.stop());

interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stats: IngestionStats;
  readonly failures: DeliveryFailure[];
}

/** Runs the app; `onLine` sees each line it prints. Bounded: killed after 20 s. */
function runApp(mode: 'sigterm' | 'exit'): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [APP, mode], {
      env: {
        PATH: process.env.PATH ?? '',
        FAULT_URL: emu.streamUrl(),
        FAULT_TOKEN: emu.token(),
        FAULT_RECORDS: String(RECORDS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bound = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.on('data', (d) => {
      out += d;
      if (mode === 'sigterm' && out.includes('answered\n')) child.kill('SIGTERM');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(bound);
      const lines = out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { code?: string; failed?: number[]; stats: IngestionStats });
      const last = lines.at(-1);
      if (!last) return reject(new Error(`no report from the app: ${out}\n${err}`));
      const failures = lines
        .filter((l) => l.failed)
        .map((l) => ({
          error: { code: l.code },
          records: (l.failed ?? []).map((i) => JSON.stringify({ Properties: { i } })),
        })) as unknown as DeliveryFailure[];
      resolve({ code, signal, stats: last.stats, failures });
    });
  });
}

describe('fault matrix: the process ends during delivery', () => {
  it.each(['sigterm', 'exit'] as const)(
    '%s: acknowledged records stored once, the rest counted',
    async (mode) => {
      emu.reset();
      const ended = await runApp(mode);
      if (mode === 'sigterm') expect(ended.signal).toBe('SIGTERM');
      else expect(ended.code).toBe(0);
      const rows = emu.rows('AppLogs_CL');
      expectDelivery({ pushed: RECORDS, ...ended, rows, endedInFlight: true });
      expect(ended.stats.delivered).toBeGreaterThan(0); // it ended during delivery, not before
      expect(ended.stats.dropped).toBeGreaterThan(0); // and before the end of it
      expect(ended.failures.map((f) => f.error.code)).toContain('ERR_INGESTION_CLOSED');
    },
  );
});
