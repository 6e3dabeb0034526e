/**
 * A fleet sharing one data collection rule whose limit is scaled down, as a new user's fleet
 * meets the per-rule limit (12,000 requests/min) at scale:
 *
 *   node bench/fleet.mjs     (env: FLEET_PROCS=8 FLEET_RATE=200 FLEET_SECONDS=120
 *                                  FLEET_LIMIT=10 FLEET_WINDOW_MS=5000 FLEET_CORE=<dist/index.mjs>)
 *
 *   this process: the emulator, one rule, FLEET_LIMIT requests per FLEET_WINDOW_MS
 *        │
 *        └──spawn × FLEET_PROCS──> fleet-child.mjs: a client pushing FLEET_RATE records/s
 *                                  for FLEET_SECONDS, then close(); prints its counters
 *
 * Reported: records lost (accepted by a client and not stored: must be 0) and stored twice, the
 * share of requests answered 429 after the first throttle, requests per minute against the
 * limit once settled, mean records per request, and when the fleet settled (see
 * lib/fleet-report.mjs). FLEET_CORE runs another build of the core in the children, e.g. the
 * baseline: FLEET_CORE=/path/to/main/packages/core/dist/index.mjs.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulator } from 'azure-ingestion-emulator';
import { fleetFigures, formatFigures } from './lib/fleet-report.mjs';

const env = process.env;
const procs = Number(env.FLEET_PROCS ?? 8);
const rate = Number(env.FLEET_RATE ?? 200);
const seconds = Number(env.FLEET_SECONDS ?? 120);
const limit = Number(env.FLEET_LIMIT ?? 10);
const windowMs = Number(env.FLEET_WINDOW_MS ?? 5000);
const limitPerMin = (limit * 60_000) / windowMs;

const emu = await startEmulator({
  rateLimits: { requestsPerMinute: limitPerMin, windowMs },
  maxRowsPerTable: procs * rate * seconds + 1000,
});
const table = emu.rules[0].streams[0].outputTable;
const startAt = Date.now() + 3000; // every child has started by then
const child = fileURLToPath(new URL('fleet-child.mjs', import.meta.url));

function run(instance) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child], {
      env: {
        ...env,
        FLEET_INSTANCE: String(instance),
        FLEET_RATE: String(rate),
        FLEET_SECONDS: String(seconds),
        FLEET_START_AT: String(startAt),
        FLEET_URL: emu.streamUrl(),
        FLEET_TOKEN: emu.token({ lifetimeSec: 86_400 }),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`instance ${instance}: exit ${code}`)),
    );
  });
}

console.log(
  `fleet: ${procs} processes × ${rate} records/s for ${seconds} s into one rule limited to ${limit} requests per ${windowMs / 1000} s (${limitPerMin}/min)${env.FLEET_CORE ? `, core ${env.FLEET_CORE}` : ''}`,
);
const results = await Promise.all(Array.from({ length: procs }, (_, k) => run(k)));
const loadTo = startAt + seconds * 1000;

const seen = new Set();
let duplicates = 0;
for (const row of emu.rows(table)) {
  const key = `${row.Properties.p}:${row.Properties.i}`;
  if (seen.has(key)) duplicates++;
  else seen.add(key);
}
let lost = 0;
const sum = (k) => results.reduce((n, r) => n + r[k], 0);
for (const r of results) {
  for (let i = 0; i < r.accepted; i++) if (!seen.has(`${r.instance}:${i}`)) lost++;
}
const requests = emu.requests().map((r) => ({
  at: Date.parse(r.receivedAt),
  status: r.status,
  records: r.records,
  instance: /fleet-(\d+)/.exec(r.headers['user-agent'] ?? '')?.[1],
}));
const figures = fleetFigures({ requests, limitPerMin, loadFrom: startAt, loadTo });
console.log(
  `clients: accepted ${sum('accepted')}, delivered ${sum('delivered')}, rejected ${sum('rejected')}, dropped ${sum('dropped')}; last close() ${((Math.max(...results.map((r) => r.closedAt)) - loadTo) / 1000).toFixed(1)} s after the load`,
);
console.log(formatFigures(figures, lost, duplicates));
if (env.FLEET_JSON) console.log(JSON.stringify({ lost, duplicates, ...figures }));
await emu.stop();
if (env.FLEET_TIMELINE === 'requests') {
  for (const r of requests)
    console.log(
      `${((r.at - startAt) / 1000).toFixed(2).padStart(7)} #${r.instance} ${r.status} ${r.records}`,
    );
} else if (env.FLEET_TIMELINE) {
  const bins = new Map();
  for (const r of requests) {
    const k = Math.floor((r.at - startAt) / 5000) * 5;
    const b = bins.get(k) ?? { ok: 0, t: 0, recs: 0 };
    if (r.status === 429) b.t++;
    else b.ok++;
    b.recs += r.records;
    bins.set(k, b);
  }
  for (const [k, b] of [...bins].sort((x, y) => x[0] - y[0]))
    console.log(`${String(k).padStart(4)} s: ${b.ok} ok ${b.t} 429 ${b.recs} records`);
}
