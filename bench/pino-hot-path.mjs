// ns per logger.info() on the main thread: pino + this transport in pino's worker thread, beside
// pino + a worker target that discards lines (bench/pino-discard-target.mjs), in the same
// process, rounds interleaved. The emulator runs in another process.
//
//   node bench/pino-hot-path.mjs [--n 20000] [--rounds 9]
//
// Two figures per logger:
//   call       the synchronous logger.info() loop (what the application pays per call); the
//              worker is left to finish (logger.flush) outside the timed region;
//   sustained  the same calls, yielding to the event loop every 200 calls so the worker runs
//              meanwhile, then logger.flush(cb) inside the timed region: for this transport
//              that means until the emulator acknowledged every record.
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core --filter azure-ingestion-emulator
//   --filter pino-azure-ingestion build
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulatorProcess } from './lib/emulator.mjs';
import { pinoRequire } from './lib/packages.mjs';

const require = pinoRequire;
const pino = require('pino');
const TARGET = require.resolve('pino-azure-ingestion');
const DISCARD = fileURLToPath(new URL('./pino-discard-target.mjs', import.meta.url));

const { values } = parseArgs({
  options: { n: { type: 'string', default: '20000' }, rounds: { type: 'string', default: '9' } },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);

const flush = (logger) => new Promise((resolve) => logger.flush(() => resolve()));
const tick = () => new Promise((resolve) => setImmediate(resolve));

function callLoop(logger, n) {
  for (let i = 0; i < n; i++) logger.info({ userId: 'u-1234', attempt: i }, 'user signed in');
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
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < N; done += 200) {
    callLoop(logger, Math.min(200, N - done));
    await tick();
  }
  await flush(logger);
  return Number(process.hrtime.bigint() - t0) / N;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
  const results = { discard: { call: [], sustained: [] }, azure: { call: [], sustained: [] } };
  // Warm-up: start both workers and JIT the paths.
  for (const logger of Object.values(loggers)) {
    callLoop(logger, 2000);
    await flush(logger);
  }
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? ['discard', 'azure'] : ['azure', 'discard'];
    for (const name of order) results[name].call.push(await timeCall(loggers[name]));
    for (const name of order) results[name].sustained.push(await timeSustained(loggers[name]));
  }
  const row = (name) =>
    `${name.padEnd(8)} call ${median(results[name].call).toFixed(0).padStart(6)} ns   ` +
    `sustained ${median(results[name].sustained).toFixed(0).padStart(6)} ns`;
  console.log(`pino hot path: ${N} calls x ${ROUNDS} rounds, medians (node ${process.version})`);
  console.log(row('discard'));
  console.log(row('azure'));
  const call = median(results.azure.call) / median(results.discard.call);
  const sustained = median(results.azure.sustained) / median(results.discard.sustained);
  console.log(
    `ratio    call ${call.toFixed(2)}x (goal <= 1.10)   sustained ${sustained.toFixed(2)}x`,
  );
  for (const logger of Object.values(loggers)) logger[pino.symbols.streamSym].end();
  emu.stop();
}

await main();
