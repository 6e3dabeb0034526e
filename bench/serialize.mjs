// CPU ns per call of the core's safeStringify beside JSON.stringify of the same value, and of
// toDefaultRecord + safeStringify (what each log call costs the core) beside a bare object
// literal + JSON.stringify. Same process, rounds interleaved (order alternating); the ratio is
// the median of per-round ratios, each from two back-to-back timings, so that load from other
// processes on a shared machine (which swings absolute times by 2x) mostly cancels out.
//
//   node bench/serialize.mjs [--n 100000] [--rounds 15]
//
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core build
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { toDefaultRecord } from '../packages/core/dist/adapter.mjs';
import { safeStringify } from '../packages/core/dist/index.mjs';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '15' } },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);

const properties = {
  reqId: 'a3f1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b',
  userId: 123456,
  path: '/api/v1/orders/98765',
  method: 'POST',
  status: 201,
  durationMs: 12.75,
  ok: true,
  tags: ['checkout', 'eu-west', 'beta'],
  client: { ip: '203.0.113.7', agent: 'Mozilla/5.0 (X11; Linux x86_64)', retries: 0 },
};
const record = {
  TimeGenerated: '2026-11-28T13:00:00.000Z',
  Level: 'info',
  SeverityNumber: 9,
  Message: 'order created for customer "ACME" in 12.75 ms',
  Host: hostname(),
  Properties: properties,
};
const cases = {
  'record (~430 B)': record,
  'flat small object': { a: 1, b: 'two', c: true, d: null, e: 5.5 },
  'string-heavy': { m: 'x'.repeat(200), n: 'line1\nline2 "quoted"', o: 'ünïcödé €' },
  'array of 50 numbers': Array.from({ length: 50 }, (_, i) => i * 1.5),
};

/** CPU ns per call (user + system): steadier than wall time on a shared, busy machine. */
function time(fn, value) {
  let sink = 0;
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) sink += fn(value).length;
  const { user, system } = process.cpuUsage(t0);
  if (sink === 0) throw new Error('unreachable');
  return ((user + system) * 1000) / N;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const entry = {
  time: 1795000000000,
  level: 'info',
  severityNumber: 9,
  message: record.Message,
  host: record.Host,
  properties,
};
const literal = (e) =>
  JSON.stringify({
    TimeGenerated: new Date(e.time).toISOString(),
    Level: e.level,
    SeverityNumber: e.severityNumber,
    Message: e.message,
    Host: e.host,
    Properties: e.properties,
  });
const ours = (e) => safeStringify(toDefaultRecord(e));

const pairs = [
  ...Object.entries(cases).map(([name, v]) => [name, (x) => JSON.stringify(x), safeStringify, v]),
  ['entry → record → JSON', literal, ours, entry],
];
// Warm up both sides before timing.
for (const [, base, mine, v] of pairs) {
  for (let i = 0; i < 20000; i++) {
    base(v);
    mine(v);
  }
}

console.log(`node ${process.version}, N=${N}, rounds=${ROUNDS}`);
for (const [name, base, mine, v] of pairs) {
  if (safeStringify(v) !== JSON.stringify(v) && base !== literal)
    throw new Error(`${name} differs`);
  const b = [];
  const m = [];
  const ratios = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which side runs first, so neither always gets the warmer caches.
    const tm0 = r % 2 === 1 ? time(mine, v) : 0;
    const tb = time(base, v);
    const tm = r % 2 === 1 ? tm0 : time(mine, v);
    b.push(tb);
    m.push(tm);
    ratios.push(tm / tb);
  }
  console.log(
    `${name.padEnd(24)} baseline ${median(b).toFixed(0).padStart(5)} ns  core ${median(m).toFixed(0).padStart(5)} ns  ratio ${median(ratios).toFixed(2)}x`,
  );
}
