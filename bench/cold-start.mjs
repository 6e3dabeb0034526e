// Cold start: what importing each adapter costs a fresh process (serverless cold starts pay it
// on every new instance), beside its logger alone and beside the official Azure SDK packages
// (@azure/monitor-ingestion + @azure/identity), as issue 6 asks.
//
//   node bench/cold-start.mjs [--runs 15]
//
// Every measurement is a fresh `node -e` process that require()s the modules (CommonJS, as most
// winston users load it); scenarios are interleaved run by run so machine load hits all alike.
// Two figures per scenario, medians over the runs:
//   process  wall time from spawn to exit (node's own boot included, as in the figures);
//   require  time spent inside the require() calls, measured in the child (less noisy).
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core
//   --filter winston-transport-azure-ingestion --filter pino-azure-ingestion build
import { parseArgs } from 'node:util';
import { runChild } from './lib/child.mjs';
import { coreRequire, pinoRequire, winstonRequire } from './lib/packages.mjs';
import { median } from './lib/stats.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' } } });
const RUNS = Number(values.runs);

const winston = winstonRequire.resolve('winston');
const winstonAdapter = winstonRequire.resolve('winston-transport-azure-ingestion');
const pino = pinoRequire.resolve('pino');
const pinoAdapter = pinoRequire.resolve('pino-azure-ingestion');
const core = coreRequire.resolve('azure-ingestion-core');
const sdk = [
  coreRequire.resolve('@azure/monitor-ingestion'),
  coreRequire.resolve('@azure/identity'),
];

const SCENARIOS = {
  'node alone': [],
  winston: [winston],
  'winston + adapter': [winston, winstonAdapter],
  'winston + Azure SDK': [winston, ...sdk],
  pino: [pino],
  'pino + adapter': [pino, pinoAdapter],
  'pino + Azure SDK': [pino, ...sdk],
  'core alone': [core],
};

// hrtime, not performance.now(): the first use of \`performance\` loads perf_hooks (~4 ms).
const CHILD = `const t0 = process.hrtime.bigint();
for (const path of JSON.parse(process.argv[1])) require(path);
process.stdout.write(JSON.stringify({ require: Number(process.hrtime.bigint() - t0) / 1e6 }));`;

async function once(paths) {
  const t0 = process.hrtime.bigint();
  const { require } = await runChild(['-e', CHILD, JSON.stringify(paths)]);
  return { process: Number(process.hrtime.bigint() - t0) / 1e6, require };
}

const results = Object.fromEntries(Object.keys(SCENARIOS).map((k) => [k, []]));
for (const paths of Object.values(SCENARIOS)) await once(paths); // warm the file cache
for (let r = 0; r < RUNS; r++) {
  // Rotate the order each run so no scenario always follows the same one.
  const names = Object.keys(SCENARIOS);
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + r) % names.length];
    results[name].push(await once(SCENARIOS[name]));
  }
}

const m = (name, key) => median(results[name].map((x) => x[key]));
const fmt = (ms) => `${ms.toFixed(1).padStart(6)} ms`;
console.log(
  `cold start: ${RUNS} fresh processes per scenario, interleaved, medians (node ${process.version})`,
);
console.log(`  ${''.padEnd(22)} ${'process'.padStart(9)} ${'require'.padStart(9)}`);
for (const name of Object.keys(SCENARIOS)) {
  console.log(`  ${name.padEnd(22)} ${fmt(m(name, 'process'))} ${fmt(m(name, 'require'))}`);
}
const diff = (a, b, key) => m(a, key) - m(b, key);
for (const logger of ['winston', 'pino']) {
  const adapter = `${logger} + adapter`;
  const official = `${logger} + Azure SDK`;
  console.log(
    `  ${logger}: the adapter adds ${diff(adapter, logger, 'require').toFixed(1)} ms of require ` +
      `(${diff(adapter, logger, 'process').toFixed(1)} ms of process time; goal <= ~15 ms); ` +
      `the Azure SDK packages add ${diff(official, logger, 'require').toFixed(1)} ms ` +
      `(${diff(official, logger, 'process').toFixed(1)} ms); ` +
      `adapter / SDK: ${(diff(adapter, logger, 'require') / diff(official, logger, 'require')).toFixed(2)}x`,
  );
}
