// This repository's transports beside what users would otherwise run, in one command:
//
//   node bench/peers.mjs [--tables e2e,main] [--n 200000] [--rounds 5] [--calls 10000]
//                        [--main-rounds 11] [--only ours,upload,…]
//
//   this process ──fork──> sink-process.mjs  (https; answers every peer's protocol and counts
//        │                                    the records each request carries)
//        └──spawn, one measurement each──> peers.mjs --role …  (a fresh process: no JIT state,
//                                           heap or sockets carried over; NODE_EXTRA_CA_CERTS
//                                           trusts the sink's certificate)
//
// e2e    logger → every record received by the sink: records/s, client CPU per record (all
//        threads: main, pino's worker, zlib's threadpool), peak RSS of the client process.
//        --n realistic records per round (bench/lib/records.mjs, ~430-byte records), logged in
//        slices of 1,000 per event-loop turn as a server does; rows rotate each round. Rows:
//        winston and pino with this transport, with a user-written transport over
//        @azure/monitor-ingestion upload() (bench/lib/upload-transports.mjs), and the floor of
//        each (winston: a transport that only JSON.stringify's the record and gzips ~1 MB bodies
//        at level 1; pino: a worker that only gzips its lines so), and upload() of prebuilt
//        records with no logger. The goal of issue 18: client CPU per record <= 1.2x the floor.
// main   main-thread time per logger.info() with each transport, relative to the same logger with
//        a no-op transport (winston: timestamp() + json()) or a discarding worker (pino), in the
//        same process, rounds interleaved (--main-rounds of --calls in one loop, each round
//        until the logger holds nothing: see mainRounds), median of per-round ratios with the
//        interquartile range;
//        then the process CPU per record over the peer's rounds and its delivery, and how many
//        of the logged records reached the sink (a peer whose defaults drop records shows it).
// Peers are pointed at the sink on 127.0.0.1; nothing leaves the machine. Settings and drop
// behaviour of each: bench/lib/peers.mjs. The sink shares the machine's cores with the client.
// Build first: node_modules/.bin/pnpm -r --filter './packages/**' run build
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GzipFloor } from './lib/gzip-floor.mjs';
import { pinoRequire, winstonRequire } from './lib/packages.mjs';
import { PINO_PEERS, WINSTON_PEERS } from './lib/peers.mjs';
import { realisticLogs, realisticRecord } from './lib/records.mjs';
import { median, pluck, quantile, ratioText } from './lib/stats.mjs';
import { UploadBatcher, winstonRecord } from './lib/upload-transports.mjs';

const SELF = fileURLToPath(import.meta.url);
const MARKER = 'request completed:';
const { values } = parseArgs({
  options: {
    tables: { type: 'string', default: 'e2e,main' },
    n: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '5' },
    calls: { type: 'string', default: '10000' },
    'main-rounds': { type: 'string', default: '11' },
    only: { type: 'string' },
    role: { type: 'string' },
  },
});
const N = Number(values.n);
const CALLS = Number(values.calls);
const MAIN_ROUNDS = Number(values['main-rounds']);
const SLICE = 1000;
const WARMUP = 10_000;
const LOGS = realisticLogs();
const tick = () => new Promise((resolve) => setImmediate(resolve));

// ---- in a child: one measurement ----

/** Records the sink has counted so far. */
async function sinkRecords() {
  const res = await fetch(`${process.env.SINK_URL}/__count`);
  return (await res.json()).records;
}

/** Waits until the sink counted `target` records, or none arrived for `idleMs`. */
async function sinkReaches(target, idleMs = 6000) {
  let last = await sinkRecords();
  let since = Date.now();
  while (last < target && Date.now() - since < idleMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = await sinkRecords();
    if (now !== last) since = Date.now();
    last = now;
  }
  return last;
}

/** `count` logs through `log(message, meta)`, SLICE per event-loop turn. */
async function sliced(count, log) {
  for (let i = 0; i < count; i += SLICE) {
    for (let j = i; j < Math.min(count, i + SLICE); j++) {
      const { message, meta } = LOGS[j & 1023];
      log(message, meta);
    }
    await tick();
  }
}

/** The floor of a winston transport: the record JSON.stringify'd, ~1 MB bodies gzipped. */
function floorTransport(TransportStream) {
  return new (class extends TransportStream {
    floor = new GzipFloor();
    log(info, next) {
      this.floor.add(JSON.stringify(winstonRecord(info)));
      next();
    }
    flush() {
      return this.floor.flush();
    }
  })();
}

function winstonLogger(transport) {
  const winston = winstonRequire('winston');
  const { combine, timestamp, json } = winston.format;
  return winston.createLogger({ format: combine(timestamp(), json()), transports: [transport] });
}

/** A winston peer (or the floor), as `{ transport, flush }`. */
function winstonPeer(name) {
  if (name === 'floor') {
    const transport = floorTransport(winstonRequire('winston-transport'));
    return { transport, flush: () => transport.flush() };
  }
  return WINSTON_PEERS[name].make(process.env.SINK_URL);
}

/** A pino logger on a peer's worker (or the floor, or a discarding one). */
function pinoLogger(name) {
  const pino = pinoRequire('pino');
  const here = (file) => fileURLToPath(new URL(file, import.meta.url));
  const spec =
    name === 'floor'
      ? { target: here('./pino-gzip-target.mjs') }
      : name === 'discard'
        ? { target: here('./pino-discard-target.mjs') }
        : PINO_PEERS[name].make(process.env.SINK_URL);
  const transport = pino.transport(spec);
  const logger = pino(transport);
  const flush = () => new Promise((resolve) => logger.flush(() => resolve()));
  // pino's worker is unref'd (it never holds a process open): a timer keeps this one alive
  // until the worker has finished and closed.
  const close = () =>
    new Promise((resolve) => {
      const alive = setInterval(() => {}, 1000);
      transport.once('close', () => {
        clearInterval(alive);
        resolve();
      });
      transport.end();
    });
  return { logger, flush, close };
}

/** CPU µs, wall s and peak RSS of `run`, with the records the sink got meanwhile. */
async function measured(run) {
  const before = await sinkRecords();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await run();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  return {
    rate: N / s,
    cpu: (c.user + c.system) / N,
    rss: process.resourceUsage().maxRSS * 1024,
    received: (await sinkRecords()) - before,
  };
}

async function e2eWinston(name) {
  const peer = winstonPeer(name);
  const logger = winstonLogger(peer.transport);
  const log = (message, meta) => logger.info(message, meta);
  const s0 = await sinkRecords();
  await sliced(WARMUP, log);
  await peer.flush();
  if (name !== 'floor') await sinkReaches(s0 + WARMUP);
  return measured(async () => {
    await sliced(N, log);
    await peer.flush();
  });
}

async function e2ePino(name) {
  const { logger, flush, close } = pinoLogger(name);
  const log = (message, meta) => logger.info(meta, message);
  const s0 = await sinkRecords();
  await sliced(WARMUP, log);
  await flush();
  if (name !== 'floor') await sinkReaches(s0 + WARMUP);
  // Until the worker closed: it has then delivered (or gzipped) every line it read.
  return measured(async () => {
    await sliced(N, log);
    await close();
  });
}

async function e2eUploadPrebuilt() {
  const t0 = Date.now() - 60_000;
  const batcher = new UploadBatcher();
  const warm = Array.from({ length: WARMUP }, (_, i) => realisticRecord(i, t0));
  for (const r of warm) batcher.add(r);
  await batcher.flush();
  await sinkReaches(Number.POSITIVE_INFINITY, 500);
  const records = Array.from({ length: N }, (_, i) => realisticRecord(i, t0));
  return measured(async () => {
    for (const r of records) batcher.add(r);
    await batcher.flush();
  });
}

/**
 * Main-thread time per call with a peer beside the baseline logger, rounds interleaved; then
 * its delivery. `make(name)` gives `{ log, flush, deliver, pending }` (deliver: what sends the
 * transport's buffer at the end; pending: logs the logger still holds, not yet handed to its
 * transport). A round is --calls logs in one synchronous loop, as bench/winston-hot-path.mjs
 * times them, then the turns of the event loop until the logger holds nothing: a transport
 * that defers its callback (winston then buffers the infos and formats them in later turns) is
 * charged for that deferred work too. Sending happens after the round for every transport (the
 * loop gives it no turn), so this is the cost of the call; the process CPU per record covers the
 * rest.
 */
async function mainRounds(make, baseName, name) {
  const base = make(baseName);
  const peer = make(name);
  const s0 = await sinkRecords();
  for (const l of [base, peer]) {
    await sliced(WARMUP, l.log);
    await l.flush();
  }
  // Warm-up batches still in flight are not counted as the rounds' deliveries (a peer that
  // drops records never gets there: then until none came for 6 s).
  const start = await sinkReaches(s0 + WARMUP);
  const runs = { base: [], peer: [] };
  let peerCpu = 0;
  let at = 0;
  const round = async (l) => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) {
      const { message, meta } = LOGS[at++ & 1023];
      l.log(message, meta);
    }
    while (l.pending() > 0) await tick();
    const ns = Number(process.hrtime.bigint() - t0) / CALLS;
    // The turns that follow (its sends, its timers) go to the process CPU, not to the call.
    await tick();
    const c = process.cpuUsage(c0);
    return { ns, cpu: c.user + c.system };
  };
  for (let r = 0; r < MAIN_ROUNDS; r++) {
    for (const side of r % 2 === 0 ? ['base', 'peer'] : ['peer', 'base']) {
      const result = await round(side === 'base' ? base : peer);
      runs[side].push(result.ns);
      if (side === 'peer') peerCpu += result.cpu;
    }
  }
  const logged = MAIN_ROUNDS * CALLS;
  const c0 = process.cpuUsage();
  await peer.deliver();
  const received = (await sinkReaches(start + logged)) - start;
  const c = process.cpuUsage(c0);
  peerCpu += c.user + c.system;
  return { base: runs.base, peer: runs.peer, cpu: peerCpu / logged, logged, received };
}

/** Infos a winston logger holds before its transport took them (buffered while one defers). */
const held = (logger, transport) =>
  logger.writableLength + logger.readableLength + (transport?.writableLength ?? 0);

function winstonSide(name) {
  if (name === 'noop') {
    const TransportStream = winstonRequire('winston-transport');
    const transport = new (class extends TransportStream {
      log(_info, next) {
        next();
      }
    })();
    const logger = winstonLogger(transport);
    return {
      log: (m, meta) => logger.info(m, meta),
      flush: async () => {},
      deliver: async () => {},
      pending: () => held(logger, transport),
    };
  }
  const peer = winstonPeer(name);
  const logger = winstonLogger(peer.transport);
  return {
    log: (m, meta) => logger.info(m, meta),
    flush: peer.flush,
    deliver: peer.flush,
    pending: () => held(logger, peer.transport),
  };
}

function pinoSide(name) {
  const { logger, flush } = pinoLogger(name);
  // pino writes each line at the call (into its worker's shared buffer): nothing is held. At
  // the end each worker sends on its own timers: logger.flush(cb) would only wait for the
  // worker to read the lines, polling from this thread all the while (its CPU would count).
  return {
    log: (m, meta) => logger.info(meta, m),
    flush,
    deliver: async () => {},
    pending: () => 0,
  };
}

async function child(role) {
  const [table, logger, name] = role.split(':');
  if (table === 'e2e') {
    if (logger === 'upload') return e2eUploadPrebuilt();
    return logger === 'winston' ? e2eWinston(name) : e2ePino(name);
  }
  return logger === 'winston'
    ? mainRounds(winstonSide, 'noop', name)
    : mainRounds(pinoSide, 'discard', name);
}

// ---- the parent ----

function runChild(role, env) {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [
        SELF,
        '--role',
        role,
        '--n',
        String(N),
        '--calls',
        String(CALLS),
        '--main-rounds',
        String(MAIN_ROUNDS),
      ],
      {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
    });
    proc.on('error', reject);
    proc.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${role} exited with ${code}`));
      // The last line is the result (a peer may print its own lines before it).
      resolve(JSON.parse(out.trim().split('\n').at(-1)));
    });
  });
}

const E2E_ROWS = [
  ['e2e:winston:ours', 'winston + this transport'],
  ['e2e:winston:upload', 'winston + user-written upload() transport'],
  ['e2e:winston:floor', 'winston floor: JSON.stringify + gzip 1'],
  ['e2e:pino:ours', 'pino worker + this transport'],
  ['e2e:pino:upload', 'pino worker + abstract-transport + upload()'],
  ['e2e:pino:floor', 'pino floor: worker gzips lines at level 1'],
  ['e2e:upload:prebuilt', 'upload() of prebuilt records, no logger'],
];

const fmtRate = (x) => `${Math.round(x / 1000)}k`;
const range = (xs, f) => `${f(quantile(xs, 0.25))}–${f(quantile(xs, 0.75))}`;

async function e2eTable(env) {
  const rows = E2E_ROWS.filter(
    ([role]) => !values.only || values.only.split(',').some((o) => role.endsWith(`:${o}`)),
  );
  const results = Object.fromEntries(rows.map(([role]) => [role, []]));
  const ROUNDS = Number(values.rounds);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < rows.length; k++) {
      const [role] = rows[(r + k) % rows.length];
      results[role].push(await runChild(role, env));
    }
  }
  console.log(
    `\n## end to end, logger → received by the sink (${N} records x ${ROUNDS} rounds; medians, interquartile ranges)`,
  );
  console.log('| | records/s | client CPU µs/record (all threads) | peak RSS | received |');
  console.log('|---|---|---|---|---|');
  for (const [role, label] of rows) {
    const rs = results[role];
    const rate = pluck('rate', rs);
    const cpu = pluck('cpu', rs);
    const rss = pluck('rss', rs);
    const floor = role.includes(':floor');
    console.log(
      `| ${label} | ${floor ? '(CPU only)' : `${fmtRate(median(rate))} (${range(rate, fmtRate)})`} | ${median(cpu).toFixed(1)} (${range(cpu, (x) => x.toFixed(1))}) | ${Math.round(median(rss) / 2 ** 20)} MiB | ${floor ? '–' : `${Math.min(...pluck('received', rs))}/${N}`} |`,
    );
  }
  const pair = (a, b, key, what) => {
    if (!results[a] || !results[b]) return;
    console.log(`${what}: ${ratioText(pluck(key, results[a]), pluck(key, results[b]))}`);
  };
  pair('e2e:winston:ours', 'e2e:winston:upload', 'rate', 'records/s winston ours / upload()');
  pair('e2e:winston:ours', 'e2e:winston:upload', 'cpu', 'client CPU winston ours / upload()');
  pair('e2e:pino:ours', 'e2e:pino:upload', 'rate', 'records/s pino ours / upload()');
  pair('e2e:pino:ours', 'e2e:pino:upload', 'cpu', 'client CPU pino ours / upload()');
  pair(
    'e2e:winston:ours',
    'e2e:winston:floor',
    'cpu',
    'client CPU winston ours / floor (goal <= 1.20)',
  );
  pair('e2e:pino:ours', 'e2e:pino:floor', 'cpu', 'client CPU pino ours / floor (goal <= 1.20)');
}

async function mainTable(env) {
  const selected = (peers) =>
    Object.entries(peers).filter(([name]) => !values.only || values.only.split(',').includes(name));
  for (const [logger, peers, base] of [
    ['winston', WINSTON_PEERS, 'a no-op transport (timestamp() + json())'],
    ['pino', PINO_PEERS, 'a discarding worker'],
  ]) {
    console.log(
      `\n## ${logger}: main-thread time per logger.info() vs ${base}, same process (${MAIN_ROUNDS} rounds of ${CALLS} calls; median of per-round ratios, interquartile range)`,
    );
    console.log(
      '| transport | main thread | client CPU µs/record | received | settings | defaults drop records? |',
    );
    console.log('|---|---|---|---|---|---|');
    for (const [name, peer] of selected(peers)) {
      const r = await runChild(`main:${logger}:${name}`, env);
      console.log(
        `| ${peer.label} | ${ratioText(r.peer, r.base)} | ${(r.cpu).toFixed(1)} | ${r.received}/${r.logged} | ${peer.settings} | ${peer.drops} |`,
      );
    }
  }
}

async function parent() {
  const sink = fork(fileURLToPath(new URL('./sink-process.mjs', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, SINK_MARKER: MARKER },
  });
  const info = await new Promise((resolve) => sink.once('message', resolve));
  const dir = mkdtempSync(join(os.tmpdir(), 'peers-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, info.caPem);
  const env = {
    NODE_EXTRA_CA_CERTS: caFile,
    SINK_URL: info.endpoint,
    AZURE_LOGS_INGESTION_ENDPOINT: info.endpoint,
    AZURE_LOGS_INGESTION_RULE_ID: 'dcr-00000000000000000000000000000000',
    AZURE_LOGS_INGESTION_STREAM: 'Custom-Bench',
    AZURE_LOGS_INGESTION_TOKEN: 'bench-token',
  };
  console.log(
    `peers: Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model.trim()}, load ${os.loadavg()[0].toFixed(1)}; the sink (https, its own process) shares these cores`,
  );
  try {
    const tables = values.tables.split(',');
    if (tables.includes('e2e')) await e2eTable(env);
    if (tables.includes('main')) await mainTable(env);
  } finally {
    sink.send('stop');
    rmSync(dir, { recursive: true, force: true });
  }
}

if (values.role) {
  const result = await child(values.role);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  // Some peers keep timers or sockets open: the measurement is done.
  process.exit(0);
} else {
  await parent();
}
