/**
 * Issue 11, from the built packages configured by environment variables alone: each way a
 * process ends either delivers its logs or says on stderr how many were lost and what would have
 * kept them; a service that never answers cannot hold the exit past closeTimeoutMs; a 45 s outage
 * (real time, defaults) loses nothing from winston or from pino's worker.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { packedInstall } from './helpers/packed.js';

const TABLE = 'AppLogs_CL';
const APP = fileURLToPath(new URL('./fixtures/bad-day-app.mjs', import.meta.url));
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());
afterEach(() => emu.up());

interface Run {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches. */
  printed(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The exit code, or the signal that ended it. */
  readonly exit: Promise<{ code: number | null; signal: string | null; at: number }>;
}

function start(args: string[], env: Record<string, string> = {}, app = APP): Run {
  const child = spawn(process.execPath, [app, ...args], {
    env: { ...process.env, ...emu.env(), FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exit = new Promise<{ code: number | null; signal: string | null; at: number }>((r) => {
    child.once('close', (code, signal) => r({ code, signal, at: Date.now() }));
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exit,
    async printed(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`no ${pattern} on stdout\nstdout: ${out}\nstderr: ${err}`);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}

/** Records of one logger among the rows. */
function rowsOf(logger: string): Record<string, unknown>[] {
  return emu.rows(TABLE).filter((r) => (r.Properties as { logger?: string })?.logger === logger);
}

/** A long flush interval: only delivery at exit (or its absence) is observed. */
const HOLD = { AZURE_LOGS_INGESTION_FLUSH_INTERVAL_MS: '600000' };

describe('each way of ending the process', () => {
  it.each(['winston', 'pino-in-process'])(
    '%s, process.exit() right after logging: one stderr line with the count and the fix',
    async (kind) => {
      const run = start([kind, 'exit'], HOLD);
      const { code } = await run.exit;
      expect(code).toBe(0);
      const lines = run.stderr().split('\n').filter(Boolean);
      expect(lines).toEqual([
        "azure-ingestion-core: 200 records not delivered to Custom-AppLogs at process exit: process.exit() ran before they were sent; await the transport's flush() (winston: await transport.flush(); pino: logger.flush(cb)) before calling it",
      ]);
      expect(emu.rows(TABLE)).toHaveLength(0);
    },
  );

  it('winston, an uncaught exception without handleExceptions: the line names handleExceptions', async () => {
    const run = start(['winston', 'throw'], HOLD);
    const { code } = await run.exit;
    expect(code).toBe(1);
    expect(run.stderr()).toContain('Error: kaboom');
    expect(run.stderr()).toContain(
      'azure-ingestion-core: 200 records not delivered to Custom-AppLogs at process exit: an uncaught exception ended the process before they were sent; with winston set handleExceptions: true',
    );
  });

  it.each(['winston', 'pino-in-process'])(
    '%s, SIGTERM without a handler: the line, then the process still ends by SIGTERM',
    async (kind) => {
      const run = start([kind, 'wait'], HOLD);
      await run.printed(/logged 200/);
      run.child.kill('SIGTERM');
      const { signal } = await run.exit;
      expect(signal).toBe('SIGTERM');
      expect(run.stderr()).toContain(
        'azure-ingestion-core: 200 records not delivered to Custom-AppLogs at process exit: SIGTERM ended the process (it has no handler) before they were sent; handle SIGTERM',
      );
    },
  );

  it('winston, SIGTERM with the application handler: ours stays out of the way, all delivered', async () => {
    const run = start(['winston', 'handled-sigterm'], HOLD);
    await run.printed(/logged 200/);
    run.child.kill('SIGTERM');
    const { code } = await run.exit;
    expect(code).toBe(0);
    expect(run.stderr()).toBe('');
    expect(rowsOf('winston')).toHaveLength(200);
    const stats = JSON.parse(/stats (.*)/.exec(run.stdout())?.[1] ?? '{}');
    expect(stats).toMatchObject({ accepted: 200, delivered: 200, rejected: 0, dropped: 0 });
  });

  it('winston, the service accepts but never answers and the script falls off its end: exit within closeTimeoutMs + 2 s, with the line', async () => {
    await emu.down('hang');
    const run = start(['winston', 'fall-off'], { AZURE_LOGS_INGESTION_FLUSH_INTERVAL_MS: '2000' });
    await run.printed(/logged 200/);
    const logged = Date.now();
    const { code, at } = await run.exit;
    expect(code).toBe(0);
    // The default closeTimeoutMs (8 s) bounds the drain at beforeExit; the request is aborted.
    expect(at - logged).toBeLessThan(8000 + 2000);
    expect(run.stderr()).toContain('200 records dropped (undelivered at process exit)');
  }, 30_000);
});

describe('from the packed package, installed as users install it', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await packedInstall('winston');
  }, 120_000);
  const packed = (mode: string, env: Record<string, string> = {}): Run =>
    // NODE_PATH (set by pnpm's scripts) would reach the workspace's packages: only the install.
    start([mode], { NODE_PATH: '', ...env }, join(dir, 'winston-exit-app.mjs'));

  it('process.exit() right after logging: the line', async () => {
    const run = packed('exit', HOLD);
    expect((await run.exit).code).toBe(0);
    expect(run.stderr()).toContain(
      'azure-ingestion-core: 200 records not delivered to Custom-AppLogs at process exit: process.exit() ran before they were sent',
    );
  });

  it('a service that never answers cannot hold the exit past closeTimeoutMs + 2 s', async () => {
    await emu.down('hang');
    const run = packed('fall-off', { AZURE_LOGS_INGESTION_CLOSE_TIMEOUT_MS: '3000' });
    await run.printed(/logged 200/);
    const logged = Date.now();
    const { code, at } = await run.exit;
    expect(code).toBe(0);
    expect(at - logged).toBeLessThan(3000 + 2000);
    expect(run.stderr()).toContain('200 records dropped (undelivered at process exit)');
  }, 30_000);
});

describe('a 45 s outage in real time, with the default settings', () => {
  it('winston and the pino worker, 100 logs/s each: every record delivered once', async () => {
    const run = start(['both', 'outage'], { RATE: '100', DURATION_MS: '50000' });
    await new Promise((r) => setTimeout(r, 2000));
    await emu.down('refuse');
    await new Promise((r) => setTimeout(r, 45_000));
    await emu.up();
    await run.printed(/logged 5000/, 30_000);
    // The next probe comes within the backoff cap (retryMaxMs, 30 s), then everything goes.
    const { code } = await run.exit;
    expect(code).toBe(0);
    const stats = JSON.parse(/stats (.*)/.exec(run.stdout())?.[1] ?? '{}');
    expect(stats).toMatchObject({ accepted: 5000, delivered: 5000, rejected: 0, dropped: 0 });
    for (const logger of ['winston', 'pino']) {
      const seen = rowsOf(logger).map((r) => (r.Properties as { i: number }).i);
      expect(seen, logger).toHaveLength(5000);
      expect(new Set(seen).size, logger).toBe(5000);
    }
    expect(run.stderr()).toMatch(/delivery failing: connection refused by 127\.0\.0\.1:\d+/);
    expect(run.stderr()).toMatch(/delivery recovered after \d+ s/);
  }, 150_000);
});
