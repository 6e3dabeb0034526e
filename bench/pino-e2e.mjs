// Records/s end to end into the emulator (another process, https): pino + this transport in
// pino's worker thread, beside @azure/monitor-ingestion's LogsIngestionClient.upload() of the same
// records, built beforehand (not timed). Each measurement runs in a fresh child process; rounds
// alternate; medians of each row and of the per-round ratios are printed (each child reports its
// best of 3 batches, see REPS).
//
//   node bench/pino-e2e.mjs [--n 50000] [--rounds 5] [--target dist/index.cjs] [--before other/dist/index.cjs]
//
// --target measures another copy of this transport's build than the package's own dist (a copy
// outside the tree is not rebuilt under the bench); --before adds a row for a second build (e.g.
// the previous commit's), measured in the same rounds, so a change is compared under the same
// machine load.
//
// Also reported: client CPU per record (process.cpuUsage of the measuring process, all threads:
// pino main thread + worker, or the official client), which the shared emulator does not cap,
// and the emulator's CPU per row it ingested from that client: on two cores, client and emulator
// share the machine, so records/s is bounded by their sum.
// pino: timed from the first logger.info() to the logger.flush(cb) callback, which this transport
// calls only when the emulator acknowledged every record. official: timed around `await upload()`.
// `pino lines + transport`: the same, from lines pino rendered before the clock (the official
// client's records are also built before it), so pino's own serialization is off the clock.
// Two reference lines: `core pushJson only` (the same records as pre-built JSON text straight
// into the core's client: the delivery engine without pino) and `pino + discarding worker` (pino
// and its worker transfer alone, nothing delivered), to show where the time goes.
// Both use https (the official client refuses a bearer token over http) with the emulator's
// self-signed certificate via NODE_EXTRA_CA_CERTS.
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core --filter azure-ingestion-emulator
//   --filter pino-azure-ingestion build
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runChild } from './lib/child.mjs';
import { rateRow, startEmulatorProcess, withEmulatorCost } from './lib/emulator.mjs';
import { corePushRate, message, officialUploadRate } from './lib/official.mjs';
import { pinoRequire } from './lib/packages.mjs';
import { slicedRuns } from './lib/sliced.mjs';
import { medianRatio, pluck } from './lib/stats.mjs';

const SELF = fileURLToPath(import.meta.url);

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '5' },
    role: { type: 'string' },
    before: { type: 'string' },
    target: { type: 'string' },
  },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
// Enough to have the mapping and the core JIT-compiled before the timed region.
const WARMUP = 10000;

// Each child measures REPS consecutive batches after its warm-up and reports the fastest: the
// steady state of a long-running process (JIT-compiled), the same rule for every role.
const REPS = 3;

/** Records/s and client CPU µs per record of one timed batch. */
function result(t0, c0) {
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  return { rate: N / s, cpu: (cpu.user + cpu.system) / N };
}

const best = (runs) => runs.reduce((a, b) => (b.rate > a.rate ? b : a));

/** pino.transport() of this transport's build at `target`, configured for the emulator. */
function azureTransport(target) {
  const e = process.env;
  return pinoRequire('pino').transport({
    target,
    options: {
      endpoint: e.AZURE_LOGS_INGESTION_ENDPOINT,
      ruleId: e.AZURE_LOGS_INGESTION_RULE_ID,
      streamName: e.AZURE_LOGS_INGESTION_STREAM,
      token: e.AZURE_LOGS_INGESTION_TOKEN,
    },
  });
}

async function runPino(
  discard,
  target = values.target ?? pinoRequire.resolve('pino-azure-ingestion'),
) {
  const pino = pinoRequire('pino');
  const transport = discard
    ? pino.transport({
        target: fileURLToPath(new URL('./pino-discard-target.mjs', import.meta.url)),
      })
    : azureTransport(target);
  const logger = pino(transport);
  // Like an application: bursts of logs between turns of the event loop.
  const run = await slicedRuns({
    n: N,
    warmup: WARMUP,
    reps: REPS,
    log: (i) => logger.info(message(i), 'user signed in'),
    flush: () => new Promise((resolve) => logger.flush(() => resolve())),
  });
  transport.end();
  return run;
}

/**
 * The same records as lines pino already wrote (rendered before the clock, as the official
 * client's records are built before it): written to this transport's pino.transport() stream
 * (thread-stream, the worker, the emulator) in bursts of 1,000, as pino would write them.
 * Without pino's own serialization on the clock, this is the transport beside the official
 * client, each starting from its records in hand.
 */
async function runLines() {
  const pino = pinoRequire('pino');
  const transport = azureTransport(values.target ?? pinoRequire.resolve('pino-azure-ingestion'));
  // A logger on the stream, as in an application: pino sends the worker its config (levels,
  // keys), which the transport waits for before it reads any line.
  const logger = pino(transport);
  const render = (count) => {
    const lines = [];
    const logger = pino({}, { write: (line) => lines.push(line) });
    for (let i = 0; i < count; i++) logger.info(message(i), 'user signed in');
    return lines;
  };
  const flush = () => new Promise((resolve) => logger.flush(() => resolve()));
  for (const line of render(WARMUP)) transport.write(line);
  await flush();
  const runs = [];
  for (let rep = 0; rep < REPS; rep++) {
    const lines = render(N);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      transport.write(lines[i]);
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await flush();
    runs.push(result(t0, c0));
  }
  transport.end();
  return best(runs);
}

async function runOfficial() {
  // A fresh client per batch, each after its own warm-up upload (bench/lib/official.mjs).
  const runs = [];
  for (let rep = 0; rep < REPS; rep++) runs.push(await officialUploadRate(N, WARMUP));
  return best(runs);
}

async function runCore() {
  // The core of the transport measured (with --target, the one beside that copy).
  const { IngestionClient } = (values.target ? createRequire(values.target) : pinoRequire)(
    'azure-ingestion-core',
  );
  return corePushRate(IngestionClient, N, WARMUP, REPS);
}

function measure(role, env, caFile) {
  const extra = role === 'before' ? ['--before', values.before] : [];
  if (values.target) extra.push('--target', values.target);
  return runChild([SELF, '--role', role, '--n', String(N), ...extra], {
    env: { ...env, NODE_EXTRA_CA_CERTS: caFile },
  });
}

if (values.role) {
  const rate =
    values.role === 'pino'
      ? await runPino(false)
      : values.role === 'before'
        ? await runPino(false, values.before)
        : values.role === 'discard'
          ? await runPino(true)
          : values.role === 'core'
            ? await runCore()
            : values.role === 'lines'
              ? await runLines()
              : await runOfficial();
  process.stdout.write(`${JSON.stringify(rate)}\n`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'pino-e2e-'));
  const caFile = join(dir, 'ca.pem');
  const emu = await startEmulatorProcess({ https: true, caFile });
  const rates = { pino: [], lines: [], official: [], core: [], discard: [], before: [] };
  const roles = [
    'official',
    'pino',
    'lines',
    'core',
    'discard',
    ...(values.before ? ['before'] : []),
  ];
  for (let r = 0; r < ROUNDS; r++) {
    for (const role of r % 2 === 0 ? roles : [...roles].reverse()) {
      rates[role].push(await withEmulatorCost(emu, () => measure(role, emu.env, caFile)));
    }
  }
  emu.stop();
  rmSync(dir, { recursive: true, force: true });
  const line = (label, runs) => rateRow(label, runs, 24);
  console.log(
    `pino e2e: ${N} records x ${ROUNDS} rounds into the emulator (https, another process), medians`,
  );
  console.log(line('official upload()', rates.official));
  console.log(line('pino + this transport', rates.pino));
  console.log(line('pino lines + transport', rates.lines), '(lines rendered before the clock)');
  console.log(line('core pushJson only', rates.core));
  console.log(line('pino + discarding worker', rates.discard), '(no delivery: pino alone)');
  if (values.before) console.log(line('pino + --before build', rates.before));
  // Ratios per round (both measured minutes apart at most), then their median: a shared
  // machine's load shifts during a run, and a ratio of two medians would mix rounds.
  const ratio = (a, b, k) => medianRatio(pluck(k, a), pluck(k, b)).toFixed(2);
  console.log(
    `ratio records/s pino/official ${ratio(rates.pino, rates.official, 'rate')}x (goal >= 1.30); ` +
      `client CPU per record official/pino ${ratio(rates.official, rates.pino, 'cpu')}x`,
  );
  console.log(
    `ratio records/s lines/official ${ratio(rates.lines, rates.official, 'rate')}x (records in hand for both); ` +
      `client CPU per record official/lines ${ratio(rates.official, rates.lines, 'cpu')}x`,
  );
  // The two reference rows as ceilings: no transport of pino can beat pino alone, and none
  // beats the core given finished record text (no logger, no mapping) into the same emulator.
  console.log(
    `ceilings: records/s core pushJson only/official ${ratio(rates.core, rates.official, 'rate')}x, ` +
      `pino + discarding worker/official ${ratio(rates.discard, rates.official, 'rate')}x`,
  );
  if (values.before) {
    console.log(
      `this build / --before build: records/s ${ratio(rates.pino, rates.before, 'rate')}x, ` +
        `client CPU per record ${ratio(rates.pino, rates.before, 'cpu')}x`,
    );
  }
}
