/**
 * The spool across processes (the built package, in child processes, configured by the
 * environment alone): a process killed during an outage, or exiting, loses nothing a flush
 * interval old; the next one sends it, in order, once; two processes on one folder keep to
 * their own files, and the survivor's files are not taken while it runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const APP = fileURLToPath(new URL('fixtures/spool-app.mjs', import.meta.url));
const TABLE = 'AppLogs_CL';

interface Stats {
  accepted: number;
  delivered: number;
  rejected: number;
  dropped: number;
  spooled: number;
  replayed: number;
}

/** A running fixture app: commands on stdin, its lines on stdout. */
class App {
  readonly proc: ChildProcess;
  readonly lines: string[] = [];
  stderr = '';
  readonly #exit: Promise<number | string>;
  #listeners: Array<() => void> = [];

  constructor(env: Record<string, string>) {
    this.proc = spawn(process.execPath, [APP], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let partial = '';
    this.proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      partial += chunk;
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const fn of this.#listeners) fn();
    });
    this.proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.#exit = new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => {
        for (const fn of this.#listeners) fn();
        resolve(code ?? signal ?? 'unknown');
      });
    });
  }

  send(command: string): void {
    this.proc.stdin?.write(`${command}\n`);
  }

  /** The rest of the first line starting with `prefix ` (bounded: a hung child fails the test). */
  line(prefix: string, timeoutMs = 20_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.find((l) => l.startsWith(`${prefix} `) || l === prefix);
        if (found !== undefined) {
          done();
          resolve(found.slice(prefix.length + 1));
        } else if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
          done();
          reject(new Error(`exited before "${prefix}": ${this.lines.join('\n')}\n${this.stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`no "${prefix}" in ${timeoutMs} ms: ${this.lines.join('\n')}\n${this.stderr}`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((fn) => fn !== check);
      };
      this.#listeners.push(check);
      check();
    });
  }

  /** The app's counters, asked now. */
  async stats(): Promise<Stats> {
    this.lines.splice(0, this.lines.length, ...this.lines.filter((l) => !l.startsWith('stats ')));
    this.send('stats');
    return JSON.parse(await this.line('stats')) as Stats;
  }

  /** Polls the counters until `predicate` holds (a bound on a condition, not a sleep). */
  async until(predicate: (s: Stats) => boolean, timeoutMs = 20_000): Promise<Stats> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await this.stats();
      if (predicate(s)) return s;
      if (Date.now() > deadline) throw new Error(`condition not met: ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  exited(timeoutMs = 20_000): Promise<number | string> {
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), timeoutMs);
    return this.#exit.finally(() => clearTimeout(timer));
  }
}

let emu: Emulator;
let dir: string;
const apps: App[] = [];

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
});
afterAll(() => emu.stop());
beforeEach(() => {
  emu.reset();
  dir = mkdtempSync(join(tmpdir(), 'spool-process-'));
});
afterEach(async () => {
  for (const app of apps.splice(0)) {
    app.proc.kill('SIGKILL');
    await app.exited();
  }
  await emu.up();
  rmSync(dir, { recursive: true, force: true });
});

/** An app with a spool in `dir`, everything from the environment. */
function start(extra: Record<string, string> = {}): App {
  const app = new App({
    ...emu.env(),
    AZURE_LOGS_INGESTION_SPOOL_DIR: dir,
    AZURE_LOGS_INGESTION_FLUSH_INTERVAL_MS: '200',
    // One request at a time: concurrent requests may land in any order.
    AZURE_LOGS_INGESTION_MAX_CONCURRENCY: '1',
    AZURE_LOGS_INGESTION_MAX_BATCH_RECORDS: '20',
    ...extra,
  });
  apps.push(app);
  return app;
}

const indexes = () => emu.rows(TABLE).map((r) => (r.Properties as { i: number }).i);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

/** Starts the next process with the service up and lets it deliver and close. */
async function restartAndDeliver(expected: number): Promise<Stats> {
  const next = start();
  const ready = JSON.parse(await next.line('ready')) as Stats;
  expect(ready.replayed).toBeGreaterThanOrEqual(expected);
  next.send('close');
  const closed = JSON.parse(await next.line('closed')) as Stats;
  expect(await next.exited()).toBe(0);
  return closed;
}

describe('a process killed with SIGKILL during an outage', () => {
  it('leaves what it logged a flush interval before on disk; the next process sends it, in order, once', async () => {
    await emu.down('refuse');
    const first = start();
    await first.line('ready');
    first.send('log 0 50');
    await first.line('logged');
    // Past one flush interval, every record is on disk (the spool's own counter says so).
    await first.until((s) => s.spooled === 50);
    first.send('log 50 57'); // in the last flush interval: may or may not be on disk
    await first.line('logged 57');
    first.proc.kill('SIGKILL');
    expect(await first.exited()).toBe('SIGKILL');
    expect(emu.rows(TABLE)).toEqual([]);

    await emu.up();
    const closed = await restartAndDeliver(50);
    const rows = indexes();
    expect(rows.slice(0, 50)).toEqual(range(0, 50)); // in order
    expect(rows).toEqual(range(0, rows.length)); // once each, nothing else
    expect(closed).toMatchObject({ delivered: rows.length, dropped: 0, spooled: 0 });
    expect(closed.accepted).toBe(closed.replayed);
  });
});

describe.each([
  ['process.exit()', 'exit'],
  ['an unhandled SIGTERM', 'SIGTERM'],
])('a process ended by %s during an outage', (_, how) => {
  it('writes what is only in memory at exit, says so, and the next process sends all of it', async () => {
    await emu.down('refuse');
    const first = start({ AZURE_LOGS_INGESTION_FLUSH_INTERVAL_MS: '60000' });
    await first.line('ready');
    first.send('log 0 30');
    await first.line('logged 30');
    if (how === 'exit') first.send('exit');
    else first.proc.kill('SIGTERM');
    expect(await first.exited()).toBe(how === 'exit' ? 0 : 'SIGTERM');
    expect(first.stderr).toMatch(
      /azure-ingestion-core: 30 records kept in the spool \(.*\); the next client with this spoolDir sends them/,
    );
    expect(first.stderr).not.toMatch(/not delivered/);

    await emu.up();
    await restartAndDeliver(30);
    expect(indexes()).toEqual(range(0, 30));
  });
});

describe('two processes on one spool folder', () => {
  it('keep to their own files; a dead one’s are taken over, a running one’s are not', async () => {
    await emu.down('refuse');
    const a = start();
    const b = start();
    await Promise.all([a.line('ready'), b.line('ready')]);
    a.send('log 0 30');
    b.send('log 100 130');
    await Promise.all([a.until((s) => s.spooled === 30), b.until((s) => s.spooled === 30)]);
    a.proc.kill('SIGKILL');
    await a.exited();

    // The third takes over a's files only: b still runs.
    const c = start();
    const ready = JSON.parse(await c.line('ready')) as Stats;
    expect(ready).toMatchObject({ accepted: 30, replayed: 30 });
    await emu.up();
    c.send('close');
    b.send('close');
    const [fromC, fromB] = [await c.line('closed'), await b.line('closed')].map(
      (l) => JSON.parse(l) as Stats,
    );
    expect(fromC).toMatchObject({ delivered: 30, spooled: 0 });
    expect(fromB).toMatchObject({ delivered: 30, replayed: 0, spooled: 0 });
    expect(indexes().sort((x, y) => x - y)).toEqual([...range(0, 30), ...range(100, 130)]);
  });

  it('start at the same moment without getting in each other’s way', async () => {
    const many = Array.from({ length: 4 }, () => start());
    const ready = await Promise.all(many.map((app) => app.line('ready')));
    expect(ready.map((r) => (JSON.parse(r) as Stats).replayed)).toEqual([0, 0, 0, 0]);
    for (const [k, app] of many.entries()) app.send(`log ${k * 100} ${k * 100 + 10}`);
    for (const app of many) app.send('close');
    for (const app of many)
      expect(JSON.parse(await app.line('closed'))).toMatchObject({ delivered: 10 });
    expect(indexes()).toHaveLength(40);
  });
});
