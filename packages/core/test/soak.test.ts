/**
 * The CI-sized soak: bench/soak.mjs for one minute (the built packages, a client in its own
 * process logging 500 records/s against the emulator with 5% of requests faulted). Memory,
 * handles, descriptors and sockets must stay flat, delivery must keep up, nothing may be lost.
 * The bounds are generous on purpose: they catch growth and leaks, not a slow machine.
 * The 30-minute run is `npm run soak`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SOAK = fileURLToPath(new URL('../../../bench/soak.mjs', import.meta.url));
const MiB = 1024 * 1024;

interface Figure {
  readonly first: number;
  readonly last: number;
}

interface SoakReport {
  readonly code: number;
  readonly samples: number;
  readonly rss: Figure;
  readonly heapUsed: Figure;
  readonly handles: Figure;
  readonly fds: Figure;
  readonly sockets: Figure;
  readonly latencyMs: { readonly last: { readonly max: number } };
  readonly stored: number;
  readonly final: {
    readonly accepted: number;
    readonly delivered: number;
    readonly rejected: number;
    readonly dropped: number;
    readonly retried: number;
  };
}

function soak(seconds: number): Promise<{ report: SoakReport; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [SOAK],
      {
        env: {
          ...process.env,
          SOAK_SECONDS: String(seconds),
          SOAK_SAMPLE_MS: '2000',
          SOAK_JSON: '1',
        },
        timeout: (seconds + 60) * 1000, // a bound for a hung run, not a timing assertion
      },
      (error, stdout, stderr) => {
        const last = stdout.trim().split('\n').at(-1) ?? '';
        if (error || !last.startsWith('{'))
          return reject(new Error(`${error}\n${stdout}\n${stderr}`));
        resolve({ report: JSON.parse(last) as SoakReport, output: stdout });
      },
    );
  });
}

describe('soak (CI-sized: one minute)', () => {
  it('stays flat and loses nothing while faults are sprinkled in', {
    timeout: 150_000,
  }, async () => {
    const { report, output } = await soak(60);
    console.log(output.trim().split('\n').slice(0, -1).join('\n')); // the figures, for the log
    expect(report.code).toBe(0);
    const f = report.final;
    expect(f.delivered + f.rejected + f.dropped).toBe(f.accepted);
    expect(f.rejected + f.dropped).toBe(0);
    expect(f.retried).toBeGreaterThan(0); // the faults were met
    expect(report.stored).toBe(f.delivered);
    expect(report.samples).toBeGreaterThanOrEqual(20);
    expect(report.heapUsed.last).toBeLessThanOrEqual(report.heapUsed.first + 8 * MiB);
    expect(report.rss.last).toBeLessThanOrEqual(report.rss.first + 32 * MiB);
    // A sample may catch a transient handle (a retry's timer, the warning timer, a request's
    // timeout) that the other quarter's samples missed; a leak grows with the ~100 requests.
    expect(report.handles.last).toBeLessThanOrEqual(report.handles.first + 2);
    expect(report.fds.last).toBeLessThanOrEqual(report.fds.first + 2);
    expect(report.sockets.last).toBeLessThanOrEqual(4); // maxConcurrency
    expect(report.latencyMs.last.max).toBeLessThan(30_000);
  });
});
