// What the durable spool (`spoolDir`) costs while the service is healthy: records/s and client
// CPU per record end to end into the emulator (another process, http), with the spool on beside
// off, for the core alone and for both transports, in one run:
//
//   node bench/spool.mjs [--n 50000] [--rounds 5] [--dir <folder for the spools>] [--latency 0]
//
// Each measurement runs in a fresh child process; rounds alternate the order of the roles; each
// child reports its best of 3 batches after a warm-up (as bench/winston-e2e.mjs and
// bench/pino-e2e.mjs). Ratios are taken per round (on / off of the same round), then their
// median. Timed from the first log call to the flush that resolves once the emulator
// acknowledged every record. With the spool on, every request body is written (temp file,
// fsync, rename, folder fsync) unless it was acknowledged before its turn to be written, and
// deleted once acknowledged: the cost is the disk's (and the threadpool's), not the log call's.
// --dir chooses the disk (default: the OS temp folder); the file system is printed. --latency
// makes the emulator answer each request that many ms late: every body is then written (and
// deleted), as with a slower service, instead of most being acknowledged before their write.
// Build first: node_modules/.bin/pnpm -r --filter './packages/**' run build
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runChild } from './lib/child.mjs';
import { startEmulatorProcess } from './lib/emulator.mjs';
import { corePushRate, message } from './lib/official.mjs';
import { coreRequire, pinoRequire, winstonRequire } from './lib/packages.mjs';
import { slicedRuns } from './lib/sliced.mjs';
import { median, medianRatio, pluck } from './lib/stats.mjs';

const SELF = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '5' },
    dir: { type: 'string', default: tmpdir() },
    latency: { type: 'string', default: '0' },
    role: { type: 'string' },
  },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const WARMUP = 10_000;
const REPS = 3;

/** Logs N records in slices of 1,000 per event-loop turn (as a server does), then flushes. */
const timed = (log, flush) => slicedRuns({ n: N, warmup: WARMUP, reps: REPS, log, flush });

async function runWinston() {
  const winston = winstonRequire('winston');
  const { AzureIngestionTransport } = winstonRequire('winston-transport-azure-ingestion');
  const transport = new AzureIngestionTransport();
  const logger = winston.createLogger({ format: winston.format.json(), transports: [transport] });
  const run = await timed(
    (i) => logger.info('user signed in', message(i)),
    () => transport.flush(),
  );
  const stats = await transport.close();
  if (stats.delivered !== REPS * N + WARMUP) throw new Error(`delivered ${stats.delivered}`);
  return run;
}

async function runPino() {
  const pino = pinoRequire('pino');
  const transport = pino.transport({ target: pinoRequire.resolve('pino-azure-ingestion') });
  const logger = pino(transport);
  const run = await timed(
    (i) => logger.info(message(i), 'user signed in'),
    () => new Promise((resolve) => logger.flush(() => resolve())),
  );
  transport.end();
  return run;
}

const ROLES = {
  core: () => corePushRate(coreRequire('azure-ingestion-core').IngestionClient, N, WARMUP, REPS),
  winston: runWinston,
  pino: runPino,
};

if (values.role) {
  process.stdout.write(`${JSON.stringify(await ROLES[values.role]())}\n`);
} else {
  const emu = await startEmulatorProcess({ latencyMs: Number(values.latency) });
  const runs = {};
  const variants = Object.keys(ROLES).flatMap((role) => [`${role} off`, `${role} on`]);
  for (const v of variants) runs[v] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(r + k) % variants.length];
      const [role, state] = variant.split(' ');
      const spool = state === 'on' ? mkdtempSync(join(values.dir, 'bench-spool-')) : undefined;
      try {
        const env = { ...emu.env, ...(spool ? { AZURE_LOGS_INGESTION_SPOOL_DIR: spool } : {}) };
        runs[variant].push(await runChild([SELF, '--role', role, '--n', String(N)], { env }));
      } finally {
        if (spool) rmSync(spool, { recursive: true, force: true });
      }
    }
  }
  emu.stop();
  const fs = execFileSync('df', ['-T', values.dir], { encoding: 'utf8' }).split('\n')[1] ?? '';
  console.log(
    `spool cost: ${N} records x ${ROUNDS} rounds into the emulator (http, another process, answers after ${values.latency} ms), best of ${REPS} per child, medians`,
  );
  console.log(`spool folder under ${values.dir}: ${fs.split(/\s+/).slice(0, 2).join(' ')}`);
  const fmt = (x) => `${Math.round(x).toLocaleString('en-US')}/s`;
  for (const v of variants) {
    const rate = fmt(median(pluck('rate', runs[v]))).padStart(10);
    const cpu = median(pluck('cpu', runs[v])).toFixed(2).padStart(6);
    console.log(
      `${v.padEnd(12)} ${rate}  client CPU ${cpu} µs/record   [${runs[v].map((x) => fmt(x.rate)).join(', ')}]`,
    );
  }
  for (const role of Object.keys(ROLES)) {
    const on = runs[`${role} on`];
    const off = runs[`${role} off`];
    const rate = medianRatio(pluck('rate', on), pluck('rate', off));
    const cpu = medianRatio(pluck('cpu', on), pluck('cpu', off));
    console.log(
      `${role}: spool on / off: records/s ${rate.toFixed(2)}x, client CPU per record ${cpu.toFixed(2)}x`,
    );
  }
}
