// What the worker side of this transport costs per line, without pino's main thread: real pino
// lines of realistic logs (bench/lib/records.mjs: a ~60-character message, trace and span ids,
// eight request fields), written to the factory's stream in the chunks thread-stream hands its worker, delivered
// to the emulator (another process, http). Beside it, the same chunks into a pino-abstract-transport
// target that discards (the reading cost every pino transport pays), in the same process.
//
//   node bench/pino-worker-cost.mjs [--n 50000] [--rounds 5] [--chunk 65536]
//                                   [--target dist/index.cjs] [--before other/dist/index.cjs]
//                                   [--field-columns SPEC]
//
// Per line: wall time (until the emulator acknowledged), and CPU time of this process (the
// emulator's is not in it), which a loaded machine disturbs less. --target measures another copy
// of this transport's build than the package's dist; --before adds a second build (e.g. the
// previous commit's) in the same rounds.
// --field-columns gives the measured transport (not the --before one) that fieldColumns option,
// e.g. 'UserId=userId,Attempt:int=attempt': with --before pointing at this same build, the cost
// of field columns (every line on the parse path) side by side.
//   node --cpu-prof --cpu-prof-dir /tmp/prof bench/pino-worker-cost.mjs   (where the time goes)
//
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core --filter azure-ingestion-emulator
//   --filter pino-azure-ingestion build
import { parseArgs } from 'node:util';
import { startEmulatorProcess } from './lib/emulator.mjs';
import { pinoRequire } from './lib/packages.mjs';
import { realisticLogs } from './lib/records.mjs';
import { median, pluck, ratioText } from './lib/stats.mjs';

const require = pinoRequire;
const pino = require('pino');
const build = require('pino-abstract-transport');

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '5' },
    chunk: { type: 'string', default: '65536' },
    target: { type: 'string' },
    before: { type: 'string' },
    'field-columns': { type: 'string' },
  },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const CHUNK = Number(values.chunk);

/** N lines exactly as pino writes them, cut into chunks of about CHUNK characters. */
function pinoChunks() {
  let text = '';
  const logger = pino({}, { write: (s) => (text += s) });
  const logs = realisticLogs();
  for (let i = 0; i < N; i++) {
    const log = logs[i & 1023];
    logger.info(log.meta, log.message);
  }
  const chunks = [];
  for (let at = 0; at < text.length; at += CHUNK) chunks.push(text.slice(at, at + CHUNK));
  return chunks;
}

/** Writes the chunks as thread-stream's worker loop does: one per turn, waiting on 'drain'. */
async function feed(stream, chunks) {
  for (const chunk of chunks) {
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
    else await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Wall and CPU ns per line of `run` (which handles all N lines). */
async function measure(run) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await run();
  const cpu = process.cpuUsage(c0);
  return {
    wall: Number(process.hrtime.bigint() - t0) / N,
    cpu: ((cpu.user + cpu.system) * 1000) / N,
  };
}

function transportRun(stream, chunks) {
  return measure(async () => {
    await feed(stream, chunks);
    await new Promise((resolve) => stream.flush(resolve));
  });
}

async function discardRun(chunks) {
  let seen = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const stream = await build(
    (source) =>
      source.on('data', () => {
        if (++seen === N) done();
      }),
    { parse: 'lines', parseLine: () => ({}), metadata: false },
  );
  const result = await measure(async () => {
    await feed(stream, chunks);
    await finished;
  });
  stream.end();
  return result;
}

async function open(path, env, extra = {}) {
  const { pinoAzureIngestion } = require(path);
  return pinoAzureIngestion({
    endpoint: env.AZURE_LOGS_INGESTION_ENDPOINT,
    ruleId: env.AZURE_LOGS_INGESTION_RULE_ID,
    streamName: env.AZURE_LOGS_INGESTION_STREAM,
    token: env.AZURE_LOGS_INGESTION_TOKEN,
    ...extra,
  });
}

async function close(stream) {
  const closed = new Promise((resolve) => stream.on('close', resolve));
  stream.end();
  await closed;
}

const emu = await startEmulatorProcess();
const chunks = pinoChunks();
const rows = [
  {
    label: `this transport${values['field-columns'] ? ' fieldColumns' : ''} (acknowledged)`,
    stream: await open(
      values.target ?? 'pino-azure-ingestion',
      emu.env,
      values['field-columns'] ? { fieldColumns: values['field-columns'] } : {},
    ),
  },
  ...(values.before
    ? [{ label: '--before build (acknowledged)', stream: await open(values.before, emu.env) }]
    : []),
  { label: 'abstract-transport discarding', stream: undefined },
];
const run = (row) => (row.stream ? transportRun(row.stream, chunks) : discardRun(chunks));
for (const row of rows) {
  await run(row); // warm-up
  row.runs = [];
}
for (let r = 0; r < ROUNDS; r++) {
  for (const row of r % 2 === 0 ? rows : [...rows].reverse()) row.runs.push(await run(row));
}
const stats = rows[0].stream.stats();
for (const row of rows) if (row.stream) await close(row.stream);
emu.stop();
const us = (ns) => `${(ns / 1000).toFixed(2)} µs`;
console.log(
  `pino worker cost: ${N} lines x ${ROUNDS} rounds, chunks of ${CHUNK} chars, medians per line`,
);
const base = rows.at(-1).runs;
for (const row of rows) {
  const wall = median(pluck('wall', row.runs));
  const cpu = median(pluck('cpu', row.runs));
  const ratio = row.stream
    ? `  CPU ${ratioText(pluck('cpu', row.runs), pluck('cpu', base))} the discarding one`
    : '';
  console.log(`${row.label.padEnd(32)} wall ${us(wall)}  CPU ${us(cpu)}${ratio}`);
}
if (values.before) {
  const [ours, before] = rows;
  console.log(
    `this build / --before build: CPU per line ${ratioText(pluck('cpu', ours.runs), pluck('cpu', before.runs))}`,
  );
}
console.log(`records delivered ${stats.delivered}, fast path ${stats.fastPath} of ${stats.lines}`);
