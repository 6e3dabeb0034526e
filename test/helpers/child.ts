/**
 * Runs an example as users do (`node examples/<file>`) in a child process, with bounded waits on
 * what it prints and on its exit: never a fixed sleep.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples');

export interface Child {
  readonly proc: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` in stdout; rejects after `timeoutMs` or on exit. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (signal name if killed); kills the child after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<number | string>;
}

export function runExample(file: string, env: Record<string, string>, args: string[] = []): Child {
  const proc = spawn(process.execPath, [join(EXAMPLES, file), ...args], {
    cwd: EXAMPLES,
    env: { ...process.env, ...env, PORT: '0', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  proc.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d;
  });
  const exit = new Promise<number | string>((resolve) => {
    proc.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });

  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const m = pattern.exec(out);
          if (!m) return false;
          cleanup();
          resolve(m);
          return true;
        };
        const onExit = (): void => {
          cleanup();
          reject(
            new Error(`${file} exited before printing ${pattern}\nstdout: ${out}\nstderr: ${err}`),
          );
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `${file} did not print ${pattern} within ${timeoutMs} ms\nstdout: ${out}\nstderr: ${err}`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          proc.stdout?.off('data', check);
          proc.off('exit', onExit);
        };
        if (check()) return;
        proc.stdout?.on('data', check);
        proc.once('exit', onExit);
      });
    },
    exited(timeoutMs = 20_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<string>((resolve) => {
        timer = setTimeout(() => {
          proc.kill('SIGKILL');
          resolve(`killed after ${timeoutMs} ms (stdout: ${out}, stderr: ${err})`);
        }, timeoutMs);
      });
      return Promise.race([exit, timeout]).finally(() => clearTimeout(timer));
    },
  };
}
