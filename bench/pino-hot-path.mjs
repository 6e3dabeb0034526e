// ns per logger.info() on the main thread: pino + this transport in pino's worker thread, beside
// pino + a worker target that discards lines (bench/pino-discard-target.mjs), in the same
// process, rounds interleaved. The emulator runs in another process. The logs are realistic
// (bench/lib/records.mjs: a ~60-character message, trace and span ids, eight request fields).
//
//   node bench/pino-hot-path.mjs [--n 20000] [--rounds 9] [--target other/dist/index.cjs] [--floor]
//
// Two figures per logger, each the median over rounds, and each ratio the median of per-round
// ratios with its interquartile range:
//   call       the synchronous logger.info() loop (what the application pays per call); the
//              worker is left to finish (logger.flush) outside the timed region;
//   busy       the same calls in slices of 200, yielding to the event loop between slices so
//              the worker reads, maps and delivers meanwhile: the wall time inside the slices,
//              per call. On two cores the worker (and zlib's threadpool, and the emulator)
//              competes with the main thread for the cores, so this rises with the worker's CPU
//              per line (bench/pino-worker-cost.mjs measures that alone).
// --floor adds a worker that only joins its lines into ~1 MB bodies and gzips them at level 1
// (bench/pino-gzip-target.mjs): the least a worker that delivers does, as a bound on "busy".
// Also printed, for the busy rounds: the wall time per record until logger.flush(cb) returns
// (for this transport: until the emulator acknowledged every record, so mostly the emulator's
// speed), and the process's CPU per record (all threads: main, worker, zlib's threadpool).
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core --filter azure-ingestion-emulator
//   --filter pino-azure-ingestion build
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulatorProcess } from './lib/emulator.mjs';
import { pinoRequire } from './lib/packages.mjs';
import { realisticLogs } from './lib/records.mjs';
import { median, pluck, ratioText } from './lib/stats.mjs';

const require = pinoRequire;
const pino = require('pino');
const DISCARD = fileURLToPath(new URL('./pino-discard-target.mjs', import.meta.url));
const GZIP = fileURLToPath(new URL('./pino-gzip-target.mjs', import.meta.url));

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '9' },
    target: { type: 'string' },
    floor: { type: 'boolean', default: false },
  },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const TARGET = values.target ?? require.resolve('pino-azure-ingestion');
const LOGS = realisticLogs();

const flush = (logger) => new Promise((resolve) => logger.flush(() => resolve()));
const tick = () => new Promise((resolve) => setImmediate(resolve));

function callLoop(logger, n, from = 0) {
  for (let i = from; i < from + n; i++) {
    const log = LOGS[i & 1023];
    logger.info(log.meta, log.message);
  }
}

async function timeCall(logger) {
  // Let the other process (emulator) and the previous round's worker work settle first.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const t0 = process.hrtime.bigint();
  callLoop(logger, N);
  const ns = Number(process.hrtime.bigint() - t0) / N;
  await flush(logger);
  return ns;
}

async function timeSustained(logger) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let inCalls = 0n;
  for (let done = 0; done < N; done += 200) {
    const s0 = process.hrtime.bigint();
    callLoop(logger, Math.min(200, N - done), done);
    inCalls += process.hrtime.bigint() - s0;
    await tick();
  }
  await flush(logger);
  const c = process.cpuUsage(c0);
  return {
    busy: Number(inCalls) / N,
    ns: Number(process.hrtime.bigint() - t0) / N,
    cpu: ((c.user + c.system) * 1000) / N,
  };
}

async function main() {
  const emu = await startEmulatorProcess();
  const e = emu.env;
  const azure = pino(
    pino.transport({
      target: TARGET,
      options: {
        endpoint: e.AZURE_LOGS_INGESTION_ENDPOINT,
        ruleId: e.AZURE_LOGS_INGESTION_RULE_ID,
        streamName: e.AZURE_LOGS_INGESTION_STREAM,
        token: e.AZURE_LOGS_INGESTION_TOKEN,
      },
    }),
  );
  const discard = pino(pino.transport({ target: DISCARD }));
  const loggers = { discard, azure };
  if (values.floor) loggers.floor = pino(pino.transport({ target: GZIP }));
  const names = Object.keys(loggers);
  const results = Object.fromEntries(names.map((name) => [name, { call: [], sustained: [] }]));
  // Warm-up: start both workers and JIT the paths.
  for (const logger of Object.values(loggers)) {
    callLoop(logger, 2000);
    await flush(logger);
  }
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) results[name].call.push(await timeCall(loggers[name]));
    for (const name of order) results[name].sustained.push(await timeSustained(loggers[name]));
  }
  const { discard: d, azure: a } = results;
  const row = (name) => {
    const r = results[name];
    const m = (key) => median(pluck(key, r.sustained)).toFixed(0).padStart(6);
    return (
      `${name.padEnd(8)} call ${median(r.call).toFixed(0).padStart(6)} ns   busy ${m('busy')} ns   ` +
      `until acknowledged ${m('ns')} ns/record   process CPU ${m('cpu')} ns/record`
    );
  };
  console.log(
    `pino hot path: ${N} calls x ${ROUNDS} rounds (realistic records), medians (node ${process.version})`,
  );
  for (const name of names) console.log(row(name));
  const ratios = (x, goal) =>
    `call ${ratioText(x.call, d.call)}${goal}   ` +
    `busy ${ratioText(pluck('busy', x.sustained), pluck('busy', d.sustained))}${goal}   ` +
    `process CPU ${ratioText(pluck('cpu', x.sustained), pluck('cpu', d.sustained))}`;
  console.log(`ratio    ${ratios(a, ' (goal <= 1.10)')}`);
  if (values.floor) console.log(`floor    ${ratios(results.floor, '')}`);
  for (const logger of Object.values(loggers)) logger[pino.symbols.streamSym].end();
  emu.stop();
}

await main();
