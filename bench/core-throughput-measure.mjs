/**
 * The measuring half of core-throughput.mjs (started by it with NODE_EXTRA_CA_CERTS set and
 * BENCH_INFO describing the servers). Not meant to be run directly.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzip as gzipCallback, gzipSync } from 'node:zlib';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import { IngestionClient } from 'azure-ingestion-core';
import { realisticRecord } from './lib/records.mjs';

const gzip = promisify(gzipCallback);
// BENCH_CORE_ALT=/path/to/dist/index.mjs adds "ours alt": another build of the core (e.g. the
// previous version) measured in the same rounds, for before/after comparisons under one load.
const Alt = process.env.BENCH_CORE_ALT
  ? (await import(pathToFileURL(process.env.BENCH_CORE_ALT).href)).IngestionClient
  : undefined;

const servers = JSON.parse(process.env.BENCH_INFO);
let server = 'emulator';
let info = servers.emulator;
const N = Number(process.env.BENCH_RECORDS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function ask(command) {
  return new Promise((resolve) => {
    process.once('message', resolve);
    process.send({ server, command });
  });
}

/** Realistic log records of the default shape, ~434 bytes of JSON each (bench/lib/records.mjs). */
function makeRecords(n) {
  const t0 = Date.now() - 60_000;
  return Array.from({ length: n }, (_, i) => realisticRecord(i, t0));
}

/**
 * The floor: JSON.stringify each record, join into ~1 MB bodies, gzip level 1. `floor` gzips
 * asynchronously on libuv's threadpool with the same zlib options as ours (256 KB output
 * chunks), one body at a time: the same kind of gzip as ours, so it is the CPU baseline of the
 * ratios. `floor sync` (gzipSync, on the main thread) is shown for reference only.
 */
function floor(sync) {
  return async (records) => {
    let batch = [];
    let size = 2;
    const send = async () => {
      const body = Buffer.from(`[${batch.join(',')}]`);
      if (sync) gzipSync(body, { level: 1 });
      else await gzip(body, { level: 1, chunkSize: 256 * 1024 });
    };
    for (const r of records) {
      const s = JSON.stringify(r);
      if (size + s.length + 1 > 1_000_000) {
        await send();
        batch = [];
        size = 2;
      }
      batch.push(s);
      size += s.length + 1;
    }
    if (batch.length > 0) await send();
  };
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
function ours(level, { slice = 0, http = false, Client = IngestionClient } = {}) {
  return async (records) => {
    const client = new Client(
      {
        endpoint: http ? info.httpEndpoint : info.endpoint,
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

/**
 * On-CPU time per thread of this process, in µs (Linux `/proc/self/task/<tid>/schedstat`,
 * nanosecond resolution). process.cpuUsage() sums every thread: the main thread, libuv's
 * threadpool (where async gzip runs) and V8's helpers (GC, compiler).
 */
function threadTimes() {
  const times = new Map();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      times.set(tid, ns / 1000);
    }
  } catch {
    // Not Linux (or a thread ended while listed): the split is then unavailable.
  }
  return times;
}

/**
 * Finds libuv's threadpool threads (Node 20 leaves every thread named "node"): the threads
 * that burn CPU while the main thread only waits for a burst of async gzip jobs.
 */
async function findPoolThreads() {
  const input = Buffer.from(JSON.stringify(makeRecords(3000)));
  const t0 = threadTimes();
  await Promise.all(Array.from({ length: 16 }, () => gzip(input, { level: 6 })));
  const t1 = threadTimes();
  // The busiest threads of the burst, at most the threadpool's size (a V8 helper may also run).
  const size = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const busy = [...t1]
    .filter(([tid]) => tid !== String(process.pid))
    .map(([tid, us]) => [tid, us - (t0.get(tid) ?? 0)])
    .filter(([, d]) => d > 2000)
    .sort((a, b) => b[1] - a[1])
    .slice(0, size);
  const pool = new Set(busy.map(([tid]) => tid));
  return pool;
}

function splitCpu(t0, t1, pool) {
  const split = { main: 0, pool: 0, other: 0 };
  for (const [tid, us] of t1) {
    const d = us - (t0.get(tid) ?? 0);
    if (tid === String(process.pid)) split.main += d;
    else if (pool.has(tid)) split.pool += d;
    else split.other += d;
  }
  return split;
}

async function measure(fn, records, pool) {
  await ask('reset');
  globalThis.gc?.();
  // GC entries reach the observer asynchronously: let the forced GC's arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const gc0 = gcMs;
  const cpu0 = process.cpuUsage();
  const th0 = threadTimes();
  const t0 = performance.now();
  await fn(records);
  const wallMs = performance.now() - t0;
  const th1 = threadTimes();
  const cpu = process.cpuUsage(cpu0);
  const n = records.length;
  const split = splitCpu(th0, th1, pool);
  return {
    rps: n / (wallMs / 1000),
    cpuUs: (cpu.user + cpu.system) / n,
    mainUs: split.main / n,
    poolUs: split.pool / n,
    otherUs: split.other / n,
    gcUs: ((gcMs - gc0) * 1000) / n,
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const records = makeRecords(N);
const avg = records.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0) / N;
const poolThreads = await findPoolThreads();
console.log(
  `${N} records, ${avg.toFixed(0)} bytes of JSON on average, ${ROUNDS} interleaved rounds (order rotated each round), medians; Node ${process.version}; ${poolThreads.size} threadpool threads found`,
);
console.log(
  'CPU µs/record: total (process.cpuUsage, all threads) = main thread + zlib threadpool + other threads (V8 GC/JIT helpers); per-thread split from /proc schedstat',
);

function runsFor(name) {
  const runs = {
    floor: floor(false),
    'floor sync': floor(true),
    official,
    ours: ours(1),
    // 1,000 records per event-loop turn, as a busy logger feeds the client: batches leave
    // while later records arrive, so far fewer record strings live long enough to be promoted.
    'ours sliced': ours(1, { slice: 1000 }),
  };
  if (name === 'sink') runs['ours http'] = ours(1, { http: true });
  if (Alt) runs['ours alt'] = ours(1, { Client: Alt });
  if (Alt && name === 'sink') runs['ours alt http'] = ours(1, { Client: Alt, http: true });
  for (const level of (process.env.BENCH_LEVELS ?? '').split(',').filter(Boolean)) {
    runs[`ours gzip ${level}`] = ours(Number(level));
  }
  // BENCH_ONLY=ours,floor limits the runs (e.g. for profiling).
  if (process.env.BENCH_ONLY) {
    const keep = process.env.BENCH_ONLY.split(',');
    for (const k of Object.keys(runs)) if (!keep.some((w) => k.startsWith(w))) delete runs[k];
  }
  return runs;
}

const f2 = (x) => x.toFixed(2);

function printSummary(results) {
  const summary = {};
  for (const [run, rs] of Object.entries(results)) {
    const m = (key) => median(rs.map((r) => r[key]));
    summary[run] = {
      rps: m('rps'),
      cpuUs: m('cpuUs'),
      mainUs: m('mainUs'),
      poolUs: m('poolUs'),
      otherUs: m('otherUs'),
      gcUs: m('gcUs'),
    };
    const s = summary[run];
    const rps = run.startsWith('floor')
      ? '(CPU only)'
      : `${Math.round(s.rps).toLocaleString('en')} rec/s`;
    console.log(
      `${run.padEnd(14)} ${rps.padStart(15)}  CPU ${f2(s.cpuUs)} = main ${f2(s.mainUs)} + pool ${f2(s.poolUs)} + other ${f2(s.otherUs)}  (GC ${f2(s.gcUs)})`,
    );
  }
  return summary;
}

/** Ratios computed within each round (same load for all runs of the round), then medians. */
function printRatios(results) {
  const pairs = [
    ['ours', 'official', 'rps', 'throughput ours/official (https)', '>= 1.3'],
    ['ours sliced', 'official', 'rps', 'throughput ours sliced/official (https)', '>= 1.3'],
    ['ours http', 'official', 'rps', 'throughput ours (http)/official (https)', ''],
    ['ours', 'floor', 'cpuUs', 'CPU ours/floor (https, all threads)', '<= 1.3'],
    ['ours sliced', 'floor', 'cpuUs', 'CPU ours sliced/floor (https, all threads)', '<= 1.3'],
    ['ours http', 'floor', 'cpuUs', 'CPU ours (http)/floor (all threads)', ''],
    ['ours', 'floor', 'mainUs', 'main-thread CPU ours/floor (https)', ''],
    ['ours http', 'floor', 'mainUs', 'main-thread CPU ours (http)/floor', ''],
    ['ours', 'official', 'cpuUs', 'CPU ours/official (https)', ''],
    ['ours sliced', 'official', 'cpuUs', 'CPU ours sliced/official (https)', ''],
    ['ours', 'ours alt', 'rps', 'throughput ours/alt (https)', ''],
    ['ours', 'ours alt', 'cpuUs', 'CPU ours/alt (https)', ''],
    ['ours http', 'ours alt http', 'cpuUs', 'CPU ours/alt (http)', ''],
  ];
  for (const [a, b, key, label, goal] of pairs) {
    if (!results[a] || !results[b]) continue;
    const per = results[a].map((r, i) => r[key] / results[b][i][key]);
    const g = goal ? ` (goal ${goal})` : '';
    console.log(
      `${label.padEnd(42)} median ${f2(median(per))}x${g}  rounds: ${per.map(f2).join(' ')}`,
    );
  }
}

async function suite(name) {
  server = name;
  info = servers[name];
  console.log(
    `\n== against the ${name} (${info.endpoint}${info.httpEndpoint ? `, ours http: ${info.httpEndpoint}` : ''})`,
  );
  const runs = runsFor(name);
  const names = Object.keys(runs);
  // Warm-up on a slice, so JIT compilation is not billed to the first measured client.
  for (const fn of Object.values(runs)) await measure(fn, records.slice(0, 20_000), poolThreads);
  const results = Object.fromEntries(names.map((k) => [k, []]));
  let gzipRatio;
  for (let round = 0; round < ROUNDS; round++) {
    for (let j = 0; j < names.length; j++) {
      const run = names[(round + j) % names.length];
      results[run].push(await measure(runs[run], records, poolThreads));
      if (run === 'ours') gzipRatio = ours.last.bytesGzipped / ours.last.bytesRaw;
    }
  }
  printSummary(results);
  if (gzipRatio) console.log(`ours gzip level 1: ${(gzipRatio * 100).toFixed(1)}% of the raw JSON`);
  printRatios(results);
}

await suite('emulator');
await suite('sink');
process.disconnect();
