/**
 * A child process logs and then exits: every record must have reached the emulator by the time
 * it is gone (pino's worker exit window is about 10 s; the transport's final flush fits in it).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode, TABLE, useEmulator } from '../helpers.js';

const APP = fileURLToPath(new URL('../fixtures/exit-app.mjs', import.meta.url));
const emulator = useEmulator();

function run(mode: string, count: number): Promise<{ code: number | null; stderr: string }> {
  const env = { ...process.env, ...emulator().env(), AZURE_LOGS_INGESTION_WARNINGS: 'true' };
  return runNode([APP, mode, String(count)], env);
}

describe('records logged before exit are delivered', () => {
  it.each([
    ['natural', 0],
    ['exit', 0],
    ['exit-later', 3],
    ['in-process-natural', 0],
  ])('%s', async (mode, expectedCode) => {
    emulator().reset();
    const { code, stderr } = await run(mode, 300);
    expect(stderr).toBe('');
    expect(code).toBe(expectedCode);
    const rows = emulator().rows(TABLE);
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => (r.Properties as { i: number }).i)).size).toBe(300);
  });
});

describe('the final flush is bounded', () => {
  it('a service that does not answer cannot hold the exit: records are dropped and reported', async () => {
    emulator().reset();
    // The first request gets no answer for 60 s; the worker's close gives up after 5 s.
    emulator().faults.enqueue({ latencyMs: 60_000 });
    const { code, stderr } = await run('exit', 20);
    expect(code).toBe(0);
    expect(stderr).toMatch(/20 .*(dropped|undelivered)|(dropped|undelivered).*20/i);
  });
});
