// What it costs to get one adapter record from the record writer into a request body, per
// record, in one process, rounds interleaved (medians of ns per record):
//
//   node bench/record-write.mjs [--n 5000] [--rounds 60]
//
//   writer only          createRecordWriter().write(): the record as a rope of pieces
//   + write each         then Buffer#write per record: V8 flattens the rope, one native call
//                        each (what the core did before it staged records)
//   + staged 64          then one join and one write per 64 records (what Segment does now)
//   pushJson             the client's checked entry: its `{`…`}` check reads the rope, so V8
//                        flattens it per record before the staged write
//   pushJsonUnchecked    the entry the adapters use for writer text: no read, no flatten
//
// The two client rows include the core's bookkeeping (admission, batching); delivery is awaited
// outside the timed region, to the emulator in another process. Ratios are per round.
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core --filter azure-ingestion-emulator build
import { parseArgs } from 'node:util';
import { startEmulatorProcess } from './lib/emulator.mjs';
import { coreRequire } from './lib/packages.mjs';
import { median, medianRatio } from './lib/stats.mjs';

const { IngestionClient } = coreRequire('azure-ingestion-core');
const { createRecordWriter, pushJsonUnchecked } = coreRequire('azure-ingestion-core/adapter');
const { values } = parseArgs({
  options: { n: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '60' } },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);

const emu = await startEmulatorProcess();
const client = new IngestionClient({ warnings: false }, emu.env);
const writer = createRecordWriter({}, client.config.maxDepth);
/** A winston-like log: literal message, two properties (one varies), the writer's members. */
const record = (i) =>
  writer.write({
    time: Date.now(),
    level: 'info',
    severityNumber: 9,
    message: 'user signed in',
    host: 'web-1',
    properties: `{${writer.member('userId', 'u-1234')},${writer.member('attempt', i)}}`,
  });

const body = Buffer.allocUnsafe(4 << 20);
const variants = {
  'writer only': () => {
    let n = 0;
    for (let i = 0; i < N; i++) n += record(i).length;
    return n;
  },
  '+ write each': () => {
    let pos = 0;
    for (let i = 0; i < N; i++) pos += body.write(record(i), pos, 'utf8') + 1;
    return pos;
  },
  '+ staged 64': () => {
    let pos = 0;
    let group = [];
    for (let i = 0; i < N; i++) {
      group.push(record(i));
      if (group.length === 64) {
        pos += body.write(group.join(','), pos, 'utf8') + 1;
        group = [];
      }
    }
    if (group.length > 0) pos += body.write(group.join(','), pos, 'utf8');
    return pos;
  },
  pushJson: () => {
    for (let i = 0; i < N; i++) client.pushJson(record(i));
  },
  pushJsonUnchecked: () => {
    for (let i = 0; i < N; i++) pushJsonUnchecked(client, record(i));
  },
};

const ns = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let r = 0; r < ROUNDS + 10; r++) {
  for (const [name, run] of Object.entries(variants)) {
    const t0 = process.hrtime.bigint();
    run();
    const t = Number(process.hrtime.bigint() - t0) / N;
    if (r >= 10) ns[name].push(t); // the first rounds warm the JIT up
    await client.flush();
  }
}
const stats = await client.close();
emu.stop();

console.log(`record write: ${ROUNDS} rounds of ${N} records, median ns per record`);
const base = ns['writer only'];
for (const [name, xs] of Object.entries(ns)) {
  const extra = medianRatio(
    xs.map((x, i) => x - base[i]),
    base,
  );
  const note =
    name === 'writer only' ? '' : `   (+${(extra * 100).toFixed(0)}% of the writer's cost)`;
  console.log(`  ${name.padEnd(20)} ${median(xs).toFixed(0).padStart(6)} ns${note}`);
}
const ratio = (a, b) => medianRatio(ns[a], ns[b]).toFixed(2);
console.log(`  staged / write each: ${ratio('+ staged 64', '+ write each')}x`);
console.log(`  pushJsonUnchecked / pushJson: ${ratio('pushJsonUnchecked', 'pushJson')}x`);
console.log(`  delivered ${stats.delivered} of ${stats.accepted}`);
