/**
 * The measuring half of core-throughput.mjs (started by it with NODE_EXTRA_CA_CERTS set and
 * BENCH_INFO describing the servers). Not meant to be run directly.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import { IngestionClient } from 'azure-ingestion-core';

const servers = JSON.parse(process.env.BENCH_INFO);
let server = 'emulator';
let info = servers.emulator;
const N = Number(process.env.BENCH_RECORDS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function ask(command) {
  return new Promise((resolve) => {
    process.once('message', resolve);
    process.send({ server, command });
  });
}

function hex(seed, length) {
  let x = seed >>> 0 || 1;
  let out = '';
  while (out.length < length) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += (x >>> 0).toString(16).padStart(8, '0');
  }
  return out.slice(0, length);
}

/** Realistic log records of the default shape, ~434 bytes of JSON each. */
function makeRecords(n) {
  const levels = [
    ['info', 9],
    ['info', 9],
    ['warn', 13],
    ['error', 17],
  ];
  const t0 = Date.now() - 60_000;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const [Level, SeverityNumber] = levels[i % levels.length];
    const ms = (i * 37) % 500;
    out[i] = {
      TimeGenerated: new Date(t0 + (i % 60_000)).toISOString(),
      Level,
      SeverityNumber,
      Message: `request completed: GET /api/orders/${100_000 + ((i * 7919) % 900_000)} -> 200 in ${ms} ms`,
      TraceId: hex(i * 2 + 1, 32),
      SpanId: hex(i * 2 + 2, 16),
      Host: 'orders-api-7d9f8c6b5-x2k4q',
      Properties: {
        service: 'orders-api',
        version: '2.14.3',
        region: 'westeurope',
        userId: `u-${(i * 104_729) % 50_000}`,
        tenant: `t-${i % 97}`,
        statusCode: 200,
        durationMs: ms,
        route: '/api/orders/:id',
      },
    };
  }
  return out;
}

/** The floor: JSON.stringify each record, join into ~1 MB bodies, gzip level 1. */
function floor(records) {
  let batch = [];
  let size = 2;
  const send = () => gzipSync(Buffer.from(`[${batch.join(',')}]`), { level: 1 });
  for (const r of records) {
    const s = JSON.stringify(r);
    if (size + s.length + 1 > 1_000_000) {
      send();
      batch = [];
      size = 2;
    }
    batch.push(s);
    size += s.length + 1;
  }
  if (batch.length > 0) send();
}

const credential = {
  getToken: async () => ({ token: info.token, expiresOnTimestamp: Date.now() + 3_600_000 }),
};

async function official(records) {
  const client = new LogsIngestionClient(info.endpoint, credential);
  await client.upload(info.ruleId, info.stream, records);
}

/**
 * Our client. `slice` > 0 pushes that many records per event-loop turn (how a busy logger
 * feeds it) instead of all in one synchronous loop.
 */
function ours(level, slice = 0) {
  return async (records) => {
    const client = new IngestionClient(
      {
        endpoint: info.endpoint,
        ruleId: info.ruleId,
        streamName: info.stream,
        token: info.token,
        gzipLevel: level,
        // The bench pushes all records in one synchronous loop: let the budget hold them all.
        maxBufferBytes: 2 ** 31,
      },
      {},
    );
    for (let i = 0; i < records.length; i++) {
      client.push(records[i]);
      if (slice > 0 && i % slice === slice - 1)
        await new Promise((resolve) => setImmediate(resolve));
    }
    const stats = await client.flush();
    if (stats.delivered !== records.length) throw new Error(`ours delivered ${stats.delivered}`);
    ours.last = stats;
    await client.close();
  };
}

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

async function measure(fn, records) {
  await ask('reset');
  globalThis.gc?.();
  // GC entries reach the observer asynchronously: let the forced GC's arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const gc0 = gcMs;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await fn(records);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const n = records.length;
  return {
    rps: n / (wallMs / 1000),
    cpuUs: (cpu.user + cpu.system) / n,
    gcUs: ((gcMs - gc0) * 1000) / n,
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const records = makeRecords(N);
const avg = records.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / N;
console.log(
  `${N} records, ${avg.toFixed(0)} bytes of JSON on average, median of ${ROUNDS} rounds, Node ${process.version}`,
);

const runs = {
  floor: async (rs) => floor(rs),
  official,
  'ours gzip 1': ours(1),
  'ours gzip 3': ours(3),
  'ours gzip 6': ours(6),
};

// BENCH_ONLY=ours,floor limits the runs (e.g. for profiling).
if (process.env.BENCH_ONLY) {
  const keep = process.env.BENCH_ONLY.split(',');
  for (const k of Object.keys(runs)) if (!keep.some((w) => k.startsWith(w))) delete runs[k];
}

async function suite(name) {
  server = name;
  info = servers[name];
  console.log(`\n== against the ${name} (${info.endpoint})`);
  const ratios = {};
  // Warm-up on a slice, so JIT compilation is not billed to the first measured client.
  for (const fn of Object.values(runs)) await measure(fn, records.slice(0, 20_000));
  const results = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [run, fn] of Object.entries(runs)) {
      results[run].push(await measure(fn, records));
      if (run.startsWith('ours')) ratios[run] = ours.last.bytesGzipped / ours.last.bytesRaw;
    }
  }
  const summary = {};
  for (const [run, rs] of Object.entries(results)) {
    summary[run] = {
      rps: median(rs.map((r) => r.rps)),
      cpuUs: median(rs.map((r) => r.cpuUs)),
      gcUs: median(rs.map((r) => r.gcUs)),
    };
    const gz = ratios[run] ? `  gzip ratio ${(ratios[run] * 100).toFixed(1)}%` : '';
    const rps =
      run === 'floor'
        ? '(CPU only)'
        : `${Math.round(summary[run].rps).toLocaleString('en')} records/s`;
    const { cpuUs, gcUs } = summary[run];
    console.log(
      `${run.padEnd(12)} ${rps.padStart(20)}  ${cpuUs.toFixed(2)} µs CPU/record (GC ${gcUs.toFixed(2)})${gz}`,
    );
  }
  const o = summary['ours gzip 1'];
  if (!o || !summary.official || !summary.floor) return;
  console.log(
    `throughput ours/official: ${(o.rps / summary.official.rps).toFixed(2)}x (goal >= 1.3)`,
  );
  console.log(
    `CPU ours/floor:           ${(o.cpuUs / summary.floor.cpuUs).toFixed(2)}x (goal <= 1.3)`,
  );
  console.log(`CPU ours/official:        ${(o.cpuUs / summary.official.cpuUs).toFixed(2)}x`);
}

await suite('emulator');
await suite('sink');
process.disconnect();
