// What the worker side of this transport costs per line, without pino's main thread: real pino
// lines, written to the factory's stream in the chunks thread-stream hands its worker, delivered
// to the emulator (another process, http). Beside it, the same chunks into a pino-abstract-transport
// target that discards (the reading cost every pino transport pays), in the same process.
//
//   node bench/pino-worker-cost.mjs [--n 50000] [--rounds 5] [--chunk 65536]
//   node --cpu-prof --cpu-prof-dir /tmp/prof bench/pino-worker-cost.mjs   (where the time goes)
//
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core --filter azure-ingestion-emulator
//   --filter pino-azure-ingestion build
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(new URL('../packages/pino/package.json', import.meta.url));
const pino = require('pino');
const build = require('pino-abstract-transport');
const { pinoAzureIngestion: factory } = require('pino-azure-ingestion');

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '50000' },
    rounds: { type: 'string', default: '5' },
    chunk: { type: 'string', default: '65536' },
  },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const CHUNK = Number(values.chunk);

/** N lines exactly as pino writes them, cut into chunks of about CHUNK characters. */
function pinoChunks() {
  let text = '';
  const logger = pino({}, { write: (s) => (text += s) });
  for (let i = 0; i < N; i++) {
    logger.info({ userId: 'u-1234', attempt: i, path: '/api/orders/42' }, 'user signed in');
  }
  const chunks = [];
  for (let at = 0; at < text.length; at += CHUNK) chunks.push(text.slice(at, at + CHUNK));
  return chunks;
}

function startEmulatorProcess() {
  const code = `import { startEmulator } from 'azure-ingestion-emulator';
const emu = await startEmulator({ port: 0, maxRowsPerTable: 1000 });
process.stdout.write(JSON.stringify(emu.env()) + '\\n');
process.stdin.on('end', () => emu.stop().then(() => process.exit(0))); process.stdin.resume();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: new URL('../packages/pino/', import.meta.url),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', (line) =>
      resolve({ env: JSON.parse(String(line)), stop: () => child.stdin.end() }),
    );
  });
}

/** Writes the chunks as thread-stream's worker loop does: one per turn, waiting on 'drain'. */
async function feed(stream, chunks) {
  for (const chunk of chunks) {
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
    else await new Promise((resolve) => setImmediate(resolve));
  }
}

async function timeTransport(stream, chunks) {
  const t0 = process.hrtime.bigint();
  await feed(stream, chunks);
  await new Promise((resolve) => stream.flush(resolve));
  return Number(process.hrtime.bigint() - t0) / N;
}

async function timeDiscard(chunks) {
  let seen = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const stream = await build(
    (source) =>
      source.on('data', () => {
        if (++seen === N) done();
      }),
    { parse: 'lines', parseLine: () => ({}), metadata: false },
  );
  const t0 = process.hrtime.bigint();
  await feed(stream, chunks);
  await finished;
  const ns = Number(process.hrtime.bigint() - t0) / N;
  stream.end();
  return ns;
}

const emu = await startEmulatorProcess();
const chunks = pinoChunks();
const stream = await factory({
  endpoint: emu.env.AZURE_LOGS_INGESTION_ENDPOINT,
  ruleId: emu.env.AZURE_LOGS_INGESTION_RULE_ID,
  streamName: emu.env.AZURE_LOGS_INGESTION_STREAM,
  token: emu.env.AZURE_LOGS_INGESTION_TOKEN,
});
await timeTransport(stream, chunks); // warm-up
await timeDiscard(chunks);
const ours = [];
const discard = [];
for (let r = 0; r < ROUNDS; r++) {
  ours.push(await timeTransport(stream, chunks));
  discard.push(await timeDiscard(chunks));
}
const stats = stream.stats();
stream.end();
await new Promise((resolve) => stream.on('close', resolve));
emu.stop();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const us = (ns) => `${(ns / 1000).toFixed(2)} µs/line`;
console.log(`pino worker cost: ${N} lines x ${ROUNDS} rounds, chunks of ${CHUNK} chars, medians`);
console.log(`this transport (to the emulator, acknowledged) ${us(median(ours))}`);
console.log(`abstract-transport discarding                  ${us(median(discard))}`);
console.log(`records delivered ${stats.delivered}, fast path ${stats.fastPath} of ${stats.lines}`);
