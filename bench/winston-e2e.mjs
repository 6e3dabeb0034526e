// Records/s end to end into the emulator (another process, https): winston + json format + this
// transport, beside @azure/monitor-ingestion's LogsIngestionClient.upload() of the same records,
// built beforehand (not timed). Each measurement runs in a fresh child process; rounds alternate
// and the medians are compared. (Approach shared with bench/pino-e2e.mjs.)
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
import { startEmulatorProcess } from './lib/emulator.mjs';
import { message, officialUploadRate } from './lib/official.mjs';
import { winstonRequire } from './lib/packages.mjs';
import { median } from './lib/stats.mjs';

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
const WARMUP = 2000;
const SLICE = Number(values.slice);

async function runWinston(sliced) {
  const winston = winstonRequire('winston');
  const { AzureIngestionTransport } = winstonRequire('winston-transport-azure-ingestion');
  // Configured from the AZURE_LOGS_INGESTION_* variables alone.
  const transport = new AzureIngestionTransport();
  const logger = winston.createLogger({ format: winston.format.json(), transports: [transport] });
  for (let i = 0; i < WARMUP; i++) logger.info('user signed in', message(i));
  await transport.flush();
  const t0 = process.hrtime.bigint();
  if (sliced) {
    for (let i = 0; i < N; i += SLICE) {
      for (let j = i; j < Math.min(N, i + SLICE); j++) logger.info('user signed in', message(j));
      await new Promise(setImmediate);
    }
  } else {
    for (let i = 0; i < N; i++) logger.info('user signed in', message(i));
  }
  const stats = await transport.flush();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  await transport.close();
  if (stats.delivered !== N + WARMUP) throw new Error(`delivered ${stats.delivered}`);
  return N / s;
}

function measure(role, env, caFile) {
  return runChild([SELF, '--role', role, '--n', String(N), '--slice', String(SLICE)], {
    env: { ...env, NODE_EXTRA_CA_CERTS: caFile },
  });
}

if (values.role) {
  const rate =
    values.role === 'official'
      ? (await officialUploadRate(N, WARMUP)).rate
      : await runWinston(values.role === 'sliced');
  process.stdout.write(`${rate}\n`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'winston-e2e-'));
  const caFile = join(dir, 'ca.pem');
  const emu = await startEmulatorProcess({ https: true, caFile });
  const rates = { burst: [], sliced: [], official: [] };
  const roles = Object.keys(rates);
  for (let r = 0; r < ROUNDS; r++) {
    // Rotate the order so machine load hits every variant alike.
    for (let k = 0; k < roles.length; k++) {
      const role = roles[(r + k) % roles.length];
      rates[role].push(await measure(role, emu.env, caFile));
    }
  }
  emu.stop();
  rmSync(dir, { recursive: true, force: true });
  const fmt = (x) => `${Math.round(x).toLocaleString('en-US')}/s`;
  console.log(
    `winston e2e: ${N} records x ${ROUNDS} rounds into the emulator (https, another process), medians`,
  );
  console.log(
    `official upload()          ${fmt(median(rates.official))}   [${rates.official.map(fmt).join(', ')}]`,
  );
  for (const v of ['burst', 'sliced']) {
    console.log(
      `winston ${v.padEnd(7)} + transport ${fmt(median(rates[v]))}   [${rates[v].map(fmt).join(', ')}]`,
    );
  }
  for (const v of ['burst', 'sliced']) {
    const ratio = median(rates[v]) / median(rates.official);
    console.log(`ratio ${v}/official ${ratio.toFixed(2)}x (goal >= 1.00)`);
  }
}
