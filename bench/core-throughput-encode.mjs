/**
 * How to build a request body from serialized records, two ways, interleaved in one run:
 *
 *   node bench/core-throughput-encode.mjs     (env: BENCH_RECORDS=200000 BENCH_ROUNDS=7)
 *
 * - "write": each record's string is written as UTF-8 into a preallocated 1 MB Buffer at
 *   push time (what segment.ts does: the size comes from buf.write, the string dies young);
 * - "join": the strings are kept in an array and each body is one Buffer.from(`[…join…]`).
 *
 * Both then gzip the bodies (level 1, async, 256 KB chunks, as the core does). CPU per record
 * over all threads (process.cpuUsage) and on the main thread (/proc schedstat), medians.
 */
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);
const N = Number(process.env.BENCH_RECORDS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const MAX = 1_048_576;

const texts = Array.from({ length: N }, (_, i) =>
  JSON.stringify({
    TimeGenerated: new Date(1_700_000_000_000 + i).toISOString(),
    Level: 'info',
    SeverityNumber: 9,
    Message: `request completed: GET /api/orders/${100_000 + ((i * 7919) % 900_000)} -> 200`,
    TraceId: (i * 2654435761).toString(16).padStart(32, '0'),
    Properties: { service: 'orders-api', userId: `u-${i % 50_000}`, tenant: `t-${i % 97}` },
  }),
);
// Fresh strings per run (not the shared originals), as a logger hands over new strings each time.
const fresh = () => texts.map((t) => ` ${t}`.slice(1));

async function write(strings) {
  const pending = [];
  let buf = Buffer.allocUnsafe(MAX);
  let off = 1;
  buf[0] = 0x5b;
  for (const s of strings) {
    if (off + s.length * 3 + 2 > MAX) {
      buf[off] = 0x5d;
      pending.push(gzip(buf.subarray(0, off + 1), { level: 1, chunkSize: 256 * 1024 }));
      buf = Buffer.allocUnsafe(MAX);
      buf[0] = 0x5b;
      off = 1;
    } else if (off > 1) buf[off++] = 0x2c;
    off += buf.write(s, off, 'utf8');
  }
  buf[off] = 0x5d;
  pending.push(gzip(buf.subarray(0, off + 1), { level: 1, chunkSize: 256 * 1024 }));
  await Promise.all(pending);
}

async function join(strings) {
  const pending = [];
  let batch = [];
  let size = 2;
  for (const s of strings) {
    const bytes = s.length * 3 > 1000 ? Buffer.byteLength(s) : s.length; // ASCII records here
    if (size + bytes + 1 > MAX) {
      pending.push(gzip(Buffer.from(`[${batch.join(',')}]`), { level: 1, chunkSize: 256 * 1024 }));
      batch = [];
      size = 2;
    }
    batch.push(s);
    size += bytes + 1;
  }
  pending.push(gzip(Buffer.from(`[${batch.join(',')}]`), { level: 1, chunkSize: 256 * 1024 }));
  await Promise.all(pending);
}

const mainUs = () =>
  Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;

async function measure(fn) {
  const strings = fresh();
  globalThis.gc?.();
  const c0 = process.cpuUsage();
  const m0 = mainUs();
  await fn(strings);
  const c = process.cpuUsage(c0);
  return { all: (c.user + c.system) / N, main: (mainUs() - m0) / N };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const runs = { write, join };
const results = { write: [], join: [] };
await measure(write);
await measure(join);
for (let r = 0; r < ROUNDS; r++) {
  for (const name of r % 2 ? ['join', 'write'] : ['write', 'join'])
    results[name].push(await measure(runs[name]));
}
for (const [name, rs] of Object.entries(results)) {
  const all = median(rs.map((x) => x.all));
  const main = median(rs.map((x) => x.main));
  console.log(`${name.padEnd(6)} CPU ${all.toFixed(2)} µs/record (main thread ${main.toFixed(2)})`);
}
const per = results.write.map((w, i) => w.all / results.join[i].all);
console.log(
  `write/join CPU: median ${median(per).toFixed(2)}x, rounds ${per.map((x) => x.toFixed(2)).join(' ')}`,
);
