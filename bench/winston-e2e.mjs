// Records/s end to end into the emulator (another process, https): winston + json format + this
// transport, beside @azure/monitor-ingestion's LogsIngestionClient.upload() of the same records,
// built beforehand (not timed). Each measurement runs in a fresh child process; rounds alternate
// and the medians are compared; each child reports its best of 3 batches after a warm-up
// (approach shared with bench/pino-e2e.mjs).
//
//   node bench/winston-e2e.mjs [--n 50000] [--rounds 5] [--slice 500]
//
// Two winston variants are measured in the same rounds: "burst" logs all N records in one
// synchronous loop (nothing can be sent until it ends, so logging and delivery add up), and
// "sliced" logs them in slices of --slice records with a setImmediate between slices, as a
// server that handles requests does: delivery then overlaps logging. The official client has
// its whole array before the clock starts, so neither variant is favoured over it.
//
// winston: timed from the first logger.info() to `await transport.flush()`, which resolves only
// when the emulator acknowledged every record. official: timed around `await upload()`.
// A reference row, `core pushJson only`: the same records as finished JSON text pushed straight
// into the core's client in one loop (no logger, no mapping), as in bench/pino-e2e.mjs: a ceiling
// for any winston transport built on this core, printed as a ratio to the official client.
// Also reported: the client's CPU per record (all its threads) and the emulator's CPU per row
// it ingested from that client; on two cores the two share the machine.
// Both use https (the official client refuses a bearer token over http) with the emulator's
// self-signed certificate via NODE_EXTRA_CA_CERTS.
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core --filter azure-ingestion-emulator
//   --filter winston-transport-azure-ingestion build
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runChild } from './lib/child.mjs';
import { rateRow, startEmulatorProcess, withEmulatorCost } from './lib/emulator.mjs';
import { corePushRate, message, officialUploadRate } from './lib/official.mjs';
import { coreRequire, winstonRequire } from './lib/packages.mjs';
import { medianRatio, pluck } from './lib/stats.mjs';

const SELF = fileURLToPath(import.meta.url);

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '5' },
    slice: { type: 'string', default: '500' },
    role: { type: 'string' },
  },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
// Enough to have winston, the mapping and the core JIT-compiled before the timed region.
const WARMUP = 10000;
// Each child measures REPS consecutive batches after its warm-up and reports the fastest: the
// steady state of a long-running process, the same rule for every role (as bench/pino-e2e.mjs).
const REPS = 3;
const best = (runs) => runs.reduce((a, b) => (b.rate > a.rate ? b : a));
const SLICE = Number(values.slice);

async function runWinston(sliced) {
  const winston = winstonRequire('winston');
  const { AzureIngestionTransport } = winstonRequire('winston-transport-azure-ingestion');
  // Configured from the AZURE_LOGS_INGESTION_* variables alone.
  const transport = new AzureIngestionTransport();
  const logger = winston.createLogger({ format: winston.format.json(), transports: [transport] });
  for (let i = 0; i < WARMUP; i++) logger.info('user signed in', message(i));
  await transport.flush();
  const runs = [];
  for (let rep = 0; rep < REPS; rep++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    if (sliced) {
      for (let i = 0; i < N; i += SLICE) {
        for (let j = i; j < Math.min(N, i + SLICE); j++) logger.info('user signed in', message(j));
        await new Promise(setImmediate);
      }
    } else {
      for (let i = 0; i < N; i++) logger.info('user signed in', message(i));
    }
    await transport.flush();
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(c0);
    runs.push({ rate: N / s, cpu: (cpu.user + cpu.system) / N });
  }
  const stats = await transport.close();
  if (stats.delivered !== REPS * N + WARMUP) throw new Error(`delivered ${stats.delivered}`);
  return best(runs);
}

async function runCore() {
  const { IngestionClient } = coreRequire('azure-ingestion-core');
  return corePushRate(IngestionClient, N, WARMUP, REPS);
}

async function runOfficial() {
  // A fresh client per batch, each after its own warm-up upload (bench/lib/official.mjs).
  const runs = [];
  for (let rep = 0; rep < REPS; rep++) runs.push(await officialUploadRate(N, WARMUP));
  return best(runs);
}

function measure(role, env, caFile) {
  return runChild([SELF, '--role', role, '--n', String(N), '--slice', String(SLICE)], {
    env: { ...env, NODE_EXTRA_CA_CERTS: caFile },
  });
}

if (values.role) {
  const rate =
    values.role === 'official'
      ? await runOfficial()
      : values.role === 'core'
        ? await runCore()
        : await runWinston(values.role === 'sliced');
  process.stdout.write(`${JSON.stringify(rate)}\n`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'winston-e2e-'));
  const caFile = join(dir, 'ca.pem');
  const emu = await startEmulatorProcess({ https: true, caFile });
  const rates = { burst: [], sliced: [], official: [], core: [] };
  const roles = Object.keys(rates);
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order so machine load hits every variant alike.
    for (let k = 0; k < roles.length; k++) {
      const role = roles[(r + k) % roles.length];
      rates[role].push(await withEmulatorCost(emu, () => measure(role, emu.env, caFile)));
    }
  }
  emu.stop();
  rmSync(dir, { recursive: true, force: true });
  const line = (label, runs) => rateRow(label, runs, 27);
  console.log(
    `winston e2e: ${N} records x ${ROUNDS} rounds into the emulator (https, another process), medians`,
  );
  console.log(line('official upload()', rates.official));
  for (const v of ['burst', 'sliced']) console.log(line(`winston ${v} + transport`, rates[v]));
  console.log(line('core pushJson only', rates.core), '(no logger: records as JSON text)');
  // Ratios per round, then their median (bench/lib/stats.mjs).
  for (const v of ['burst', 'sliced']) {
    const ratio = medianRatio(pluck('rate', rates[v]), pluck('rate', rates.official));
    console.log(`ratio ${v}/official ${ratio.toFixed(2)}x (goal >= 1.00)`);
  }
  const ceiling = medianRatio(pluck('rate', rates.core), pluck('rate', rates.official));
  console.log(`ceiling: core pushJson only/official ${ceiling.toFixed(2)}x`);
}
