/**
 * What the pino tests share: one emulator per test file (127.0.0.1, port 0), the transport's
 * options pointing at it, child processes with their output collected, and promise wrappers of
 * pino's callback-style flush and of closing a stream.
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';

/** The emulator's default DCR sends the stream to this table. */
export const TABLE = 'AppLogs_CL';

/** The Message column of the rows in TABLE, in arrival order. */
export const messages = (emu: Emulator): unknown[] => emu.rows(TABLE).map((r) => r.Message);

/** Starts an emulator before the file's tests and stops it after them; call the getter in a test. */
export function useEmulator(): () => Emulator {
  let emu: Emulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await emu?.stop();
  });
  return () => {
    if (emu === undefined) throw new Error('the emulator is started in beforeAll');
    return emu;
  };
}

/**
 * The transport's options for the emulator. The long flush interval leaves only an explicit
 * flush (or close) to send the records the tests look for; warnings stay off unless asked for.
 */
export function emulatorOptions(
  emu: Emulator,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const env = emu.env();
  return {
    endpoint: env.AZURE_LOGS_INGESTION_ENDPOINT,
    ruleId: env.AZURE_LOGS_INGESTION_RULE_ID,
    streamName: env.AZURE_LOGS_INGESTION_STREAM,
    token: env.AZURE_LOGS_INGESTION_TOKEN,
    flushIntervalMs: 600_000,
    warnings: false,
    ...extra,
  };
}

/** pino's `logger.flush(cb)` as a promise. */
export const flush = (logger: { flush(cb: (err?: Error | null) => void): void }): Promise<void> =>
  new Promise((resolve, reject) => logger.flush((err) => (err ? reject(err) : resolve())));

/** Ends a stream (or a worker transport) and resolves on 'close'. */
export function endAndClose(stream: {
  end(): unknown;
  once(event: 'close', f: () => void): unknown;
}) {
  const closed = new Promise<void>((resolve) => stream.once('close', resolve));
  stream.end();
  return closed;
}

/** The current environment without any `AZURE_LOGS_INGESTION_*` variable. */
export function envWithoutIngestion(): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('AZURE_LOGS_INGESTION_')),
  );
}

export interface NodeRun {
  readonly code: number | null;
  /** The signal that ended the process, if one did. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node ...args` to its end; `input`, when given, is its whole stdin. */
export function runNode(
  args: readonly string[],
  env: Record<string, string | undefined>,
  input?: string,
): Promise<NodeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** The lines a real pino logger writes (synchronously, into a plain Writable's write()). */
export function capture(opts: pino.LoggerOptions, log: (logger: pino.Logger) => void): string[] {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  log(pino(opts, sink as unknown as pino.DestinationStream));
  return lines;
}
