// Records/s end to end into the emulator (another process, https): winston + json format + this
// transport, beside @azure/monitor-ingestion's LogsIngestionClient.upload() of the same records,
// built beforehand (not timed). Each measurement runs in a fresh child process; rounds alternate
// and the medians are compared. (Approach shared with bench/pino-e2e.mjs.)
//
//   node bench/winston-e2e.mjs [--n 50000] [--rounds 5]
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
    role: { type: 'string' },
  },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const WARMUP = 2000;

async function runWinston() {
  const winston = winstonRequire('winston');
  const { AzureIngestionTransport } = winstonRequire('winston-transport-azure-ingestion');
  // Configured from the AZURE_LOGS_INGESTION_* variables alone.
  const transport = new AzureIngestionTransport();
  const logger = winston.createLogger({ format: winston.format.json(), transports: [transport] });
  for (let i = 0; i < WARMUP; i++) logger.info('user signed in', message(i));
  await transport.flush();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) logger.info('user signed in', message(i));
  const stats = await transport.flush();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  await transport.close();
  if (stats.delivered !== N + WARMUP) throw new Error(`delivered ${stats.delivered}`);
  return N / s;
}

function measure(role, env, caFile) {
  return runChild([SELF, '--role', role, '--n', String(N)], {
    env: { ...env, NODE_EXTRA_CA_CERTS: caFile },
  });
}

if (values.role) {
  const rate =
    values.role === 'winston' ? await runWinston() : (await officialUploadRate(N, WARMUP)).rate;
  process.stdout.write(`${rate}\n`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'winston-e2e-'));
  const caFile = join(dir, 'ca.pem');
  const emu = await startEmulatorProcess({ https: true, caFile });
  const rates = { winston: [], official: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const role of r % 2 === 0 ? ['official', 'winston'] : ['winston', 'official']) {
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
  console.log(
    `winston + this transport   ${fmt(median(rates.winston))}   [${rates.winston.map(fmt).join(', ')}]`,
  );
  console.log(
    `ratio ${(median(rates.winston) / median(rates.official)).toFixed(2)}x (goal >= 1.00)`,
  );
}
