/**
 * A child process logs and then exits: every record must have reached the emulator by the time
 * it is gone (pino's worker exit window is about 10 s; the transport's final flush fits in it).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('../fixtures/exit-app.mjs', import.meta.url));
const TABLE = 'AppLogs_CL';
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.stop();
});

function run(mode: string, count: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [APP, mode, String(count)], {
      env: { ...process.env, ...emu.env(), AZURE_LOGS_INGESTION_WARNINGS: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('records logged before exit are delivered', () => {
  it.each([
    ['natural', 0],
    ['exit', 0],
    ['exit-later', 3],
    ['in-process-natural', 0],
  ])('%s', async (mode, expectedCode) => {
    emu.reset();
    const { code, stderr } = await run(mode, 300);
    expect(stderr).toBe('');
    expect(code).toBe(expectedCode);
    const rows = emu.rows(TABLE);
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => (r.Properties as { i: number }).i)).size).toBe(300);
  });
});

describe('the final flush is bounded', () => {
  it('a service that does not answer cannot hold the exit: records are dropped and reported', async () => {
    emu.reset();
    // The first request gets no answer for 60 s; the worker's close gives up after 5 s.
    emu.faults.enqueue({ latencyMs: 60_000 });
    const { code, stderr } = await run('exit', 20);
    expect(code).toBe(0);
    expect(stderr).toMatch(/20 .*(dropped|undelivered)|(dropped|undelivered).*20/i);
  });
});
