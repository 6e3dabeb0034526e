// Records/s end to end into the emulator (another process, https): pino + this transport in
// pino's worker thread, beside @azure/monitor-ingestion's LogsIngestionClient.upload() of the same
// records, built beforehand (not timed). Each measurement runs in a fresh child process; rounds
// alternate and the medians are compared (each child reports its best of 3 batches, see REPS).
//
//   node bench/pino-e2e.mjs [--n 50000] [--rounds 5] [--before /path/to/other/dist/index.cjs]
//
// --before adds a row for another build of this transport (e.g. the previous commit's, built
// elsewhere), measured in the same rounds, so a change is compared under the same machine load.
//
// Also reported: client CPU per record (process.cpuUsage of the measuring process, all threads:
// pino main thread + worker, or the official client), which the shared emulator does not cap.
// pino: timed from the first logger.info() to the logger.flush(cb) callback, which this transport
// calls only when the emulator acknowledged every record. official: timed around `await upload()`.
// Two reference lines: `core pushJson only` (the same records as pre-built JSON text straight
// into the core's client: the delivery engine without pino) and `pino + discarding worker` (pino
// and its worker transfer alone, nothing delivered), to show where the time goes.
// Both use https (the official client refuses a bearer token over http) with the emulator's
// self-signed certificate via NODE_EXTRA_CA_CERTS.
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core --filter azure-ingestion-emulator
//   --filter pino-azure-ingestion build
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SELF = fileURLToPath(import.meta.url);
const pinoRequire = createRequire(new URL('../packages/pino/package.json', import.meta.url));
const coreRequire = createRequire(new URL('../packages/core/package.json', import.meta.url));

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '5' },
    role: { type: 'string' },
    before: { type: 'string' },
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

const message = (i) => ({ userId: 'u-1234', attempt: i, path: '/api/orders/42' });

async function runPino(discard, target = pinoRequire.resolve('pino-azure-ingestion')) {
  const pino = pinoRequire('pino');
  const e = process.env;
  const transport = discard
    ? pino.transport({
        target: fileURLToPath(new URL('./pino-discard-target.mjs', import.meta.url)),
      })
    : pino.transport({
        target,
        options: {
          endpoint: e.AZURE_LOGS_INGESTION_ENDPOINT,
          ruleId: e.AZURE_LOGS_INGESTION_RULE_ID,
          streamName: e.AZURE_LOGS_INGESTION_STREAM,
          token: e.AZURE_LOGS_INGESTION_TOKEN,
        },
      });
  const logger = pino(transport);
  const flush = () => new Promise((resolve) => logger.flush(() => resolve()));
  for (let i = 0; i < WARMUP; i++) logger.info(message(i), 'user signed in');
  await flush();
  const runs = [];
  for (let rep = 0; rep < REPS; rep++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    // Like an application: bursts of logs between turns of the event loop.
    for (let i = 0; i < N; i++) {
      logger.info(message(i), 'user signed in');
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await flush();
    runs.push(result(t0, c0));
  }
  transport.end();
  return best(runs);
}

async function runOfficial() {
  const { LogsIngestionClient } = coreRequire('@azure/monitor-ingestion');
  const e = process.env;
  const credential = {
    getToken: async () => ({
      token: e.AZURE_LOGS_INGESTION_TOKEN,
      expiresOnTimestamp: Date.now() + 3_600_000,
    }),
  };
  const client = new LogsIngestionClient(e.AZURE_LOGS_INGESTION_ENDPOINT, credential);
  const now = Date.now();
  const host = hostname();
  const record = (i) => ({
    TimeGenerated: new Date(now + i).toISOString(),
    Level: 'info',
    SeverityNumber: 9,
    Message: 'user signed in',
    Host: host,
    Properties: { pid: process.pid, ...message(i) },
  });
  const rule = e.AZURE_LOGS_INGESTION_RULE_ID;
  const stream = e.AZURE_LOGS_INGESTION_STREAM;
  await client.upload(
    rule,
    stream,
    Array.from({ length: WARMUP }, (_, i) => record(i)),
  );
  const runs = [];
  for (let rep = 0; rep < REPS; rep++) {
    const records = Array.from({ length: N }, (_, i) => record(i));
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await client.upload(rule, stream, records);
    runs.push(result(t0, c0));
  }
  return best(runs);
}

async function runCore() {
  const { IngestionClient } = pinoRequire('azure-ingestion-core');
  const client = new IngestionClient({});
  const now = Date.now();
  const host = hostname();
  const rec = (i) =>
    JSON.stringify({
      TimeGenerated: new Date(now + i).toISOString(),
      Level: 'info',
      SeverityNumber: 9,
      Message: 'user signed in',
      Host: host,
      Properties: { pid: process.pid, ...message(i) },
    });
  for (let i = 0; i < WARMUP; i++) client.pushJson(rec(i));
  await client.flush();
  const runs = [];
  for (let rep = 0; rep < REPS; rep++) {
    const records = Array.from({ length: N }, (_, i) => rec(i));
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (const r of records) client.pushJson(r);
    await client.flush();
    runs.push(result(t0, c0));
  }
  await client.close();
  return best(runs);
}

/** Starts the emulator (https) in a child process; resolves with its env and a stop function. */
function startEmulatorProcess(caFile) {
  const code = `import { startEmulator } from 'azure-ingestion-emulator';
import { writeFileSync } from 'node:fs';
const emu = await startEmulator({ port: 0, https: true, maxRowsPerTable: 1000 });
writeFileSync(${JSON.stringify(caFile)}, emu.caCertPem);
process.stdout.write(JSON.stringify({ env: emu.env(), counters: null }) + '\\n');
process.stdin.on('data', () => process.stdout.write(JSON.stringify(emu.counters()) + '\\n'));
process.stdin.on('end', () => emu.stop().then(() => process.exit(0))); process.stdin.resume();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: new URL('../packages/pino/', import.meta.url),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', (line) =>
      resolve({ env: JSON.parse(String(line)).env, stop: () => child.stdin.end() }),
    );
  });
}

function measure(role, env, caFile) {
  const before = role === 'before' ? ['--before', values.before] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SELF, '--role', role, '--n', String(N), ...before], {
      env: { ...process.env, ...env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim())) : reject(new Error(`${role} exited ${code}`)),
    );
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
            : await runOfficial();
  process.stdout.write(`${JSON.stringify(rate)}\n`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'pino-e2e-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, '');
  const emu = await startEmulatorProcess(caFile);
  const rates = { pino: [], official: [], core: [], discard: [], before: [] };
  const roles = ['official', 'pino', 'core', 'discard', ...(values.before ? ['before'] : [])];
  for (let r = 0; r < ROUNDS; r++) {
    for (const role of r % 2 === 0 ? roles : [...roles].reverse()) {
      rates[role].push(await measure(role, emu.env, caFile));
    }
  }
  emu.stop();
  rmSync(dir, { recursive: true, force: true });
  const fmt = (x) => `${Math.round(x).toLocaleString('en-US')}/s`;
  const line = (label, runs) => {
    const rate = median(runs.map((r) => r.rate));
    const cpu = median(runs.map((r) => r.cpu));
    return `${label.padEnd(24)} ${fmt(rate).padStart(10)}  client CPU ${cpu.toFixed(1).padStart(5)} µs/record   [${runs.map((r) => fmt(r.rate)).join(', ')}]`;
  };
  console.log(
    `pino e2e: ${N} records x ${ROUNDS} rounds into the emulator (https, another process), medians`,
  );
  console.log(line('official upload()', rates.official));
  console.log(line('pino + this transport', rates.pino));
  console.log(line('core pushJson only', rates.core));
  console.log(line('pino + discarding worker', rates.discard), '(no delivery: pino alone)');
  if (values.before) console.log(line('pino + --before build', rates.before));
  const m = (runs, k) => median(runs.map((r) => r[k]));
  console.log(
    `ratio records/s ${(m(rates.pino, 'rate') / m(rates.official, 'rate')).toFixed(2)}x (goal >= 1.30); ` +
      `client CPU per record official/pino ${(m(rates.official, 'cpu') / m(rates.pino, 'cpu')).toFixed(2)}x`,
  );
}
