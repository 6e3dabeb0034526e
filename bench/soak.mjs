/**
 * The soak: one client logging at a steady rate for a long time, against the emulator answering
 * a few requests with faults, to see that nothing grows and delivery keeps up:
 *
 *   node bench/soak.mjs        (env: SOAK_SECONDS=1800 SOAK_RATE=500 SOAK_SAMPLE_MS=10000
 *                                    SOAK_FAULTS=0.05 SOAK_JSON=1 SOAK_SAMPLES_FILE=<file>)
 *   npm run soak               (the 30-minute run)
 *
 *   this process: the emulator; a fraction SOAK_FAULTS of the POSTs answered 503, 500, 429
 *   (Retry-After 1) or reset, drawn with a fixed seed
 *        │
 *        └──spawn (--expose-gc)──> soak-client.mjs: logs, samples its RSS, heap, handles and
 *                                  sockets every SOAK_SAMPLE_MS, closes, prints its counters
 *
 * Printed at the end: the highest sample of the first and of the last quarter side by side
 * (RSS, heap, external memory, active handles, file descriptors, sockets; flat: the last quarter
 * no higher than the first beyond noise), the delivery latency (logged → stored, read from the
 * stored rows) per quarter, and the counters. With SOAK_JSON=1, one JSON line too (the
 * CI-sized run in packages/core/test/soak.test.ts reads it).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulator } from 'azure-ingestion-emulator';

const env = process.env;
const seconds = Number(env.SOAK_SECONDS ?? 1800);
const rate = Number(env.SOAK_RATE ?? 500);
const sampleMs = Number(env.SOAK_SAMPLE_MS ?? (seconds > 120 ? 10_000 : 2000));
const faultShare = Number(env.SOAK_FAULTS ?? 0.05);
const POLL_MS = 2000;

const emu = await startEmulator({ maxRowsPerTable: 50_000 });
const table = emu.rules[0].streams[0].outputTable;
const each = faultShare / 4;
emu.faults.random(
  [
    { probability: each, fault: { status: 503 } },
    { probability: each, fault: { status: 500 } },
    { probability: each, fault: { status: 429, retryAfter: '1' } },
    { probability: each, fault: { reset: true } },
  ],
  13,
);

// Latency: each stored row's receive time minus the time it was logged, read as rows arrive
// (the store keeps the last 50,000 rows; polled far more often than that fills up).
const latencies = [];
let seenUntil = 0;
function poll() {
  const rows = emu.rows(table, { since: seenUntil });
  for (const row of rows) {
    const received = Date.parse(row._TimeReceived);
    latencies.push({ at: received, ms: received - row.Properties.t });
    seenUntil = Math.max(seenUntil, received + 1);
  }
}
const poller = setInterval(poll, POLL_MS);

const started = Date.now();
const child = spawn(
  process.execPath,
  ['--expose-gc', fileURLToPath(new URL('soak-client.mjs', import.meta.url))],
  {
    env: {
      ...env,
      SOAK_URL: emu.streamUrl(),
      SOAK_TOKEN: emu.token({ lifetimeSec: 86_400 }),
      SOAK_SECONDS: String(seconds),
      SOAK_RATE: String(rate),
      SOAK_SAMPLE_MS: String(sampleMs),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let out = '';
child.stdout.on('data', (d) => {
  out += d;
});
const code = await new Promise((resolve) => child.on('close', resolve));
if (env.SOAK_SAMPLES_FILE) writeFileSync(env.SOAK_SAMPLES_FILE, out); // every sample, for a plot
clearInterval(poller);
poll();
const lines = out
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const samples = lines.filter((l) => l.kind === 'sample');
const final = lines.find((l) => l.kind === 'final');

const quarter = (list) => {
  const n = Math.max(1, Math.floor(list.length / 4));
  return { first: list.slice(0, n), last: list.slice(-n) };
};
const max = (xs) => xs.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] ?? Number.NaN;
};
const { first, last } = quarter(samples.slice(1)); // the first sample is the warm-up
const figure = (key) => ({
  first: max(first.map((s) => s[key])),
  last: max(last.map((s) => s[key])),
});
const lat = quarter(latencies.map((l) => l.ms));
const report = {
  seconds,
  rate,
  code,
  samples: samples.length,
  rss: figure('rss'),
  heapUsed: figure('heapUsed'),
  external: figure('external'),
  handles: figure('handles'),
  fds: figure('fds'),
  sockets: figure('sockets'),
  latencyMs: {
    first: { p50: pct(lat.first, 50), p99: pct(lat.first, 99), max: max(lat.first) },
    last: { p50: pct(lat.last, 50), p99: pct(lat.last, 99), max: max(lat.last) },
  },
  stored: emu.counters().rowsIngested,
  requests: emu.counters().requestsByStatus,
  final,
};

const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
const row = (name, f, fmt = String) =>
  `${name.padEnd(10)} first quarter ${fmt(f.first).padStart(10)}   last quarter ${fmt(f.last).padStart(10)}`;
console.log(
  `soak: ${seconds} s at ${rate} records/s, ${(faultShare * 100).toFixed(1)}% of requests faulted (503, 500, 429, reset); ${((Date.now() - started) / 1000).toFixed(0)} s in all`,
);
console.log(row('RSS', report.rss, mib));
console.log(row('heap used', report.heapUsed, mib));
console.log(row('external', report.external, mib));
console.log(row('handles', report.handles));
console.log(row('fds', report.fds));
console.log(row('sockets', report.sockets));
const l = report.latencyMs;
console.log(
  `latency   first quarter p50 ${l.first.p50} ms, p99 ${l.first.p99} ms, max ${l.first.max} ms; last quarter p50 ${l.last.p50} ms, p99 ${l.last.p99} ms, max ${l.last.max} ms`,
);
if (final) {
  console.log(
    `client    accepted ${final.accepted}, delivered ${final.delivered}, rejected ${final.rejected}, dropped ${final.dropped}, retried ${final.retried}; stored ${report.stored}; requests ${JSON.stringify(report.requests)}`,
  );
}
if (env.SOAK_JSON) console.log(JSON.stringify(report));
await emu.stop();
process.exitCode = code === 0 && final ? 0 : 1;
