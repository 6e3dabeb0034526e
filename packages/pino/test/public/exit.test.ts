/**
 * A child process logs 200 records and then ends, one way or another: what reached the emulator
 * by the time it is gone, in worker mode and in-process. (pino's worker exit window is about
 * 10 s; the transport's final flush fits in it.) These are the figures of the README's table.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type NodeRun, runNode, TABLE, useEmulator } from '../helpers.js';

const APP = fileURLToPath(new URL('../fixtures/exit-app.mjs', import.meta.url));
const emulator = useEmulator();
const N = 200;

function run(mode: string, count: number, extraEnv: Record<string, string> = {}): Promise<NodeRun> {
  const env = {
    ...process.env,
    ...emulator().env(),
    AZURE_LOGS_INGESTION_WARNINGS: 'true',
    ...extraEnv,
  };
  return runNode([APP, mode, String(count)], env);
}

/** How the process ended: its exit code, or the signal that killed it. */
const ending = (r: NodeRun) => r.signal ?? r.code;

describe('records logged before exit are delivered', () => {
  it.each([
    ['natural', 0],
    ['exit', 0],
    ['exit-later', 3],
    ['throw', 1],
    ['flush-exit', 0],
    ['sigterm-handled', 0],
    ['in-process-natural', 0],
    ['in-process-flush-exit', 0],
    ['in-process-sigterm-handled', 0],
  ])('%s', async (mode, code) => {
    emulator().reset();
    const result = await run(mode, N);
    expect(ending(result)).toBe(code);
    if (mode === 'throw') expect(result.stderr).toContain('Error: boom');
    else expect(result.stderr).toBe('');
    const rows = emulator().rows(TABLE);
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => (r.Properties as { i: number }).i)).size).toBe(N);
  });
});

describe('exit paths that lose the records not yet sent', () => {
  // A signal's default action ends the process before any JavaScript runs, pino's worker
  // included: only a handler (sigterm-handled above) keeps the records. In-process, process.exit()
  // and an uncaught exception leave no turn for network I/O (the core says so on stderr).
  it.each([
    ['sigterm', 'SIGTERM'],
    ['kill9', 'SIGKILL'],
    ['in-process-exit', 0],
    ['in-process-throw', 1],
    ['in-process-sigterm', 'SIGTERM'],
    ['in-process-kill9', 'SIGKILL'],
  ])('%s', async (mode, end) => {
    emulator().reset();
    const result = await run(mode, N);
    expect(ending(result)).toBe(end);
    expect(emulator().rows(TABLE)).toHaveLength(0);
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

  it('the worker says how many records were not delivered, even with warnings off', async () => {
    emulator().reset();
    emulator().faults.enqueue({ latencyMs: 60_000 });
    const { code, stderr } = await run('exit', 20, {
      AZURE_LOGS_INGESTION_WARNINGS: 'false',
      AZURE_LOGS_INGESTION_CLOSE_TIMEOUT_MS: '1000',
    });
    expect(code).toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^pino-azure-ingestion: 20 of 20 records were not delivered \(0 rejected, 20 dropped\)$/,
      ),
    ]);
  });
});
