/**
 * Child processes that use the built package the way applications do, against the emulator:
 * logs must be delivered when a script falls off its end, crashes, or ends its logger.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const TABLE = 'AppLogs_CL';
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(() => emu.reset());

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a fixture with the emulator's AZURE_LOGS_INGESTION_* variables; resolves when it exits. */
function run(fixture: string, extraEnv: Record<string, string> = {}): Promise<Exit> {
  const file = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const child = spawn(process.execPath, [file], {
    // No periodic flush: only the transport's and core's shutdown paths can deliver the logs.
    env: {
      ...process.env,
      ...emu.env(),
      AZURE_LOGS_INGESTION_FLUSH_INTERVAL_MS: '600000',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('winston-transport-azure-ingestion in a child process', () => {
  it('a script that logs and falls off its end delivers every log, then exits by itself', async () => {
    const exit = await run('falls-off-end.mjs', { LOG_COUNT: '2500' });
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    const rows = emu.rows(TABLE).filter((r) => r.Message === 'fell off the end');
    expect(rows).toHaveLength(2500);
  });

  it('an uncaught exception handled by winston is delivered before winston exits', async () => {
    const exit = await run('uncaught.mjs');
    expect(exit.code).toBe(1);
    const rows = emu.rows(TABLE);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      Level: 'error',
      Exception: { type: 'Error', message: 'kaboom', cause: { message: 'root cause' } },
      Properties: { exception: true },
    });
    expect(String(rows[0]?.Message)).toMatch(/^uncaughtException: kaboom/);
  });

  it('an unhandled rejection handled by winston is delivered before winston exits', async () => {
    const exit = await run('unhandled-rejection.mjs');
    expect(exit.code).toBe(1);
    const rows = emu.rows(TABLE);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      Level: 'error',
      Exception: { type: 'TypeError', message: 'rejected for good' },
    });
  });

  it('CommonJS: require() works and logger.end() finishes after delivery', async () => {
    const exit = await run('require.cjs');
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    expect(JSON.parse(exit.stdout)).toMatchObject({ accepted: 1, delivered: 1 });
    expect(emu.rows(TABLE)).toMatchObject([
      { Message: 'from commonjs', Properties: { kind: 'function' } },
    ]);
  });
});
