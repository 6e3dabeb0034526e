// ns per logger.info() on the main thread: winston + json format + this transport, beside
// winston + json format + a no-op transport, in the same process, rounds interleaved.
//
//   node bench/winston-hot-path.mjs [--n 5000] [--rounds 41]
//
// Rounds alternate (no-op, call, +delivery); each figure is the median over rounds, and the
// ratio is the median of the per-round ratios (robust to other load on the machine).
//
// Two figures for the transport:
//   call      the synchronous logger.info() loop (mapping, serialization, byte count, enqueue);
//             delivery is awaited after the timed region;
//   +delivery the same loop plus `await transport.flush()` inside the timed region, so batching,
//             gzip and HTTP work on this thread count too (the emulator runs in another process).
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core --filter azure-ingestion-emulator
//   --filter winston-transport-azure-ingestion build
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { parseArgs } from 'node:util';

const pkg = new URL('../packages/winston/package.json', import.meta.url);
const require = createRequire(pkg);
const winston = require('winston');
const TransportStream = require('winston-transport');
const { AzureIngestionTransport } = require('winston-transport-azure-ingestion');

const { values } = parseArgs({
  options: { n: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '41' } },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);

/** Starts the emulator in a child process; resolves with its env and a stop function. */
function startEmulatorProcess() {
  const code = `import { startEmulator } from 'azure-ingestion-emulator';
const emu = await startEmulator({ port: 0, maxRowsPerTable: 1000 });
process.stdout.write(JSON.stringify(emu.env()) + '\\n');
process.stdin.on('end', () => emu.stop().then(() => process.exit(0))); process.stdin.resume();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: new URL('../packages/winston/', import.meta.url),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', (line) =>
      resolve({ env: JSON.parse(String(line)), stop: () => child.stdin.end() }),
    );
  });
}

class Noop extends TransportStream {
  log(_info, next) {
    next();
  }
}

function makeLogger(transport) {
  return winston.createLogger({
    level: 'info',
    format: winston.format.json(),
    transports: [transport],
  });
}

function loop(logger, n) {
  for (let i = 0; i < n; i++) logger.info('user signed in', { userId: 'u-1234', attempt: i });
}

/**
 * One round: wall ns per call, and process CPU ns per call (user + system, all threads: GC helper
 * threads and, with delivery, zlib included). CPU time does not count time this process was
 * preempted, so it is the steadier figure on a shared machine.
 */
async function timed(logger, transport, withDelivery) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  loop(logger, N);
  if (withDelivery) await transport.flush();
  const ns = Number(process.hrtime.bigint() - t0) / N;
  const c = process.cpuUsage(c0);
  const cpu = ((c.user + c.system) * 1000) / N;
  if (!withDelivery && transport.flush) await transport.flush();
  // let 'logged' events and stream bookkeeping settle outside the timed region
  await new Promise((r) => setImmediate(r));
  return { ns, cpu };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const emu = await startEmulatorProcess();
const noop = new Noop();
const azure = new AzureIngestionTransport({ warnings: false }, emu.env);
const base = makeLogger(noop);
const ours = makeLogger(azure);

// warm-up
loop(base, 20_000);
loop(ours, 20_000);
await azure.flush();

const r = { noop: [], call: [], delivery: [] };
for (let k = 0; k < ROUNDS; k++) {
  r.noop.push(await timed(base, noop, false));
  r.call.push(await timed(ours, azure, false));
  r.delivery.push(await timed(ours, azure, true));
}
const stats = await azure.close();
emu.stop();

const of = (key, xs) => xs.map((x) => x[key]);
const ratio = (key, xs) => median(xs.map((x, i) => x[key] / r.noop[i][key]));
const cell = (key, xs, base) =>
  `${median(of(key, xs)).toFixed(0).padStart(6)} ns${base ? '        ' : `  ${ratio(key, xs).toFixed(2)}x`}`;
const row = (label, xs, base) =>
  `  ${label.padEnd(36)} ${cell('ns', xs, base)}   ${cell('cpu', xs, base)}`;
console.log(
  `winston hot path: ${ROUNDS} rounds of ${N} logger.info(), medians per call, ratios vs no-op per round (load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cpus)`,
);
console.log(`  ${''.padEnd(36)} ${'wall'.padStart(6)}               cpu`);
console.log(row('winston + json + no-op transport', r.noop, true));
console.log(`${row('winston + json + Azure (call)', r.call)}   (goal <= 1.20x)`);
console.log(row('winston + json + Azure (+delivery)', r.delivery));
console.log(
  `  delivered ${stats.delivered} of ${stats.accepted} accepted, dropped ${stats.dropped}, rejected ${stats.rejected}`,
);
