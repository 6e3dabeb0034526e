/**
 * Ingestion throughput of the emulator beside its floor, in one run:
 *
 *   node bench/emulator-ingest.mjs                 (https, like the client benchmarks)
 *   BENCH_HTTP=1 node bench/emulator-ingest.mjs    (plain http)
 *
 *   this process ──fork──> this file as `emulator` (startEmulator, default options)
 *        │       ──fork──> this file as `floor`    (gunzip the body, answer 204: the floor)
 *        │       ──fork──> this file as `parse`    (floor + UTF-8 decode + JSON.parse: the
 *        │                                          work no emulator can skip)
 *        └── pre-built gzip bodies of realistic ~434-byte records, POSTed with 4 in flight
 *            over keep-alive sockets (node:http / node:https), the same bodies to both servers.
 *
 * Reported per server: rows/s (wall clock), requests/s, server CPU per 1,000 rows
 * (process.cpuUsage() of the child: user + system, all its threads), and the ratio
 * emulator/floor and emulator/parse. Rounds alternate servers; medians are reported.
 *
 * Knobs (env): BENCH_BODIES (distinct bodies, 24), BENCH_REQUESTS (per measurement, 300),
 * BENCH_ROUNDS (3), BENCH_RECORDS_PER_BODY (default: as many as fit in 1,000,000 bytes),
 * BENCH_IN_FLIGHT (4), BENCH_MAX_ROWS (maxRowsPerTable of the emulator, default: its default),
 * EMULATOR_DIST (a directory holding another build's index.mjs, to compare builds),
 * BENCH_PROF (a directory: the emulator child writes a --cpu-prof profile there).
 * Build first: node_modules/.bin/pnpm --filter azure-ingestion-emulator build
 */
import { fork } from 'node:child_process';
import { createServer as createHttp, Agent as HttpAgent, request as httpRequest } from 'node:http';
import {
  createServer as createHttps,
  Agent as HttpsAgent,
  request as httpsRequest,
} from 'node:https';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzip, gzipSync } from 'node:zlib';
import { realisticRecord } from './lib/records.mjs';

const role = process.argv[2];
const HTTPS = !process.env.BENCH_HTTP;

function distUrl() {
  const dir = process.env.EMULATOR_DIST;
  return dir
    ? pathToFileURL(`${dir.replace(/\/$/, '')}/index.mjs`).href
    : new URL('../packages/emulator/dist/index.mjs', import.meta.url).href;
}

function answerControl(onCounters) {
  process.on('message', async (m) => {
    if (m === 'cpu') process.send({ type: 'cpu', cpu: process.cpuUsage() });
    else if (m === 'memory') {
      // After a full GC: heapUsed is then what the server keeps, not garbage.
      globalThis.gc?.();
      const mem = process.memoryUsage();
      process.send({ type: 'memory', rss: mem.rss, heap: mem.heapUsed });
    } else if (m === 'counters') process.send({ type: 'counters', counters: onCounters() });
    else if (m === 'stop') process.exit(0);
  });
}

async function runEmulator() {
  const { startEmulator } = await import(distUrl());
  const max = process.env.BENCH_MAX_ROWS;
  const emu = await startEmulator({
    port: 0,
    https: HTTPS,
    ...(max ? { maxRowsPerTable: Number(max) } : {}),
  });
  answerControl(() => emu.counters());
  process.send({
    type: 'ready',
    url: `${emu.streamUrl()}?api-version=2023-01-01`,
    token: emu.token({ lifetimeSec: 6 * 3600 }),
    ca: emu.caCertPem,
  });
}

/** The floor: what any server must do with these bodies (read, gunzip), then 204. */
async function runFloor(parse) {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const handler = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      gunzip(Buffer.concat(chunks), { maxOutputLength: 1_048_576 }, (err, out) => {
        let status = err ? 400 : 204;
        if (parse && !err) {
          try {
            status = Array.isArray(JSON.parse(utf8.decode(out))) ? 204 : 400;
          } catch {
            status = 400;
          }
        }
        res.writeHead(status, { 'content-length': 0 });
        res.end();
      });
    });
  };
  let server;
  let ca;
  if (HTTPS) {
    // The emulator's certificate kind (EC P-256, through the same selfsigned), so TLS costs the same.
    const require = createRequire(new URL('../packages/emulator/package.json', import.meta.url));
    const { generate } = await import(pathToFileURL(require.resolve('selfsigned')).href);
    const pems = await generate([{ name: 'commonName', value: 'bench-floor' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    server = createHttps({ key: pems.private, cert: pems.cert, keepAliveTimeout: 5_000 }, handler);
    ca = pems.cert;
  } else {
    server = createHttp({ keepAliveTimeout: 5_000 }, handler);
  }
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  answerControl(() => ({}));
  process.send({
    type: 'ready',
    url: `${HTTPS ? 'https' : 'http'}://127.0.0.1:${server.address().port}/ingest`,
    token: 'none',
    ca,
  });
}

/** gzip bodies of up to 1,000,000 bytes of JSON (or a fixed record count), as the clients send. */
function buildBodies(count, perBody) {
  const t0 = Date.now() - 60_000;
  const bodies = [];
  let i = 0;
  let recordBytes = 0;
  let records = 0;
  for (let b = 0; b < count; b++) {
    const parts = [];
    let size = 2;
    for (;;) {
      const s = JSON.stringify(realisticRecord(i, t0));
      if (perBody ? parts.length >= perBody : size + s.length + 1 > 1_000_000) break;
      parts.push(s);
      size += s.length + 1;
      recordBytes += s.length;
      i++;
    }
    records += parts.length;
    const raw = Buffer.from(`[${parts.join(',')}]`);
    bodies.push({ gz: gzipSync(raw, { level: 1 }), rows: parts.length, raw: raw.length });
  }
  return { bodies, meanRecordBytes: recordBytes / records };
}

function startChild(which) {
  const prof = process.env.BENCH_PROF;
  const child = fork(fileURLToPath(import.meta.url), [which], {
    execArgv: [
      '--expose-gc',
      ...(prof && which === 'emulator' ? ['--cpu-prof', '--cpu-prof-dir', prof] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise((resolve) => child.once('message', resolve));
  return { child, ready };
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

function post(target, body) {
  return new Promise((resolve, reject) => {
    const req = target.request(
      target.url,
      {
        method: 'POST',
        agent: target.agent,
        headers: {
          authorization: `Bearer ${target.token}`,
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          'content-length': body.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Post `requests` bodies with `inFlight` concurrent requests; returns wall ms and rows sent. */
async function drive(target, bodies, requests, inFlight) {
  let next = 0;
  let rows = 0;
  const statuses = {};
  const start = performance.now();
  const worker = async () => {
    while (next < requests) {
      const b = bodies[next++ % bodies.length];
      const status = await post(target, b.gz);
      statuses[status] = (statuses[status] ?? 0) + 1;
      rows += b.rows;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { ms: performance.now() - start, rows, statuses };
}

async function measure(target, bodies, requests, inFlight) {
  const before = await ask(target.child, 'cpu');
  const run = await drive(target, bodies, requests, inFlight);
  const after = await ask(target.child, 'cpu');
  const cpuMs = (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1000;
  return {
    rowsPerSec: (run.rows / run.ms) * 1000,
    reqPerSec: (requests / run.ms) * 1000,
    cpuMsPer1kRows: (cpuMs / run.rows) * 1000,
    statuses: run.statuses,
  };
}

/** floor: read + gunzip + 204; parse: the same + UTF-8 check + JSON.parse (work no emulator can skip). */
const SERVERS = ['floor', 'parse', 'emulator'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');

async function main() {
  const BODIES = Number(process.env.BENCH_BODIES ?? 24);
  const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
  const PER_BODY = process.env.BENCH_RECORDS_PER_BODY
    ? Number(process.env.BENCH_RECORDS_PER_BODY)
    : 0;
  const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 4);

  const { bodies, meanRecordBytes } = buildBodies(BODIES, PER_BODY);
  const rowsPerBody = bodies.reduce((s, b) => s + b.rows, 0) / bodies.length;
  const gzPerBody = bodies.reduce((s, b) => s + b.gz.length, 0) / bodies.length;
  const rawPerBody = bodies.reduce((s, b) => s + b.raw, 0) / bodies.length;

  const targets = {};
  for (const which of SERVERS) {
    const { child, ready } = startChild(which);
    const info = await ready;
    const agentOpts = { keepAlive: true, maxSockets: IN_FLIGHT };
    targets[which] = {
      child,
      url: info.url,
      token: info.token,
      request: HTTPS ? httpsRequest : httpRequest,
      agent: HTTPS ? new HttpsAgent({ ...agentOpts, ca: info.ca }) : new HttpAgent(agentOpts),
    };
  }

  console.log(
    `emulator ingest (${HTTPS ? 'https' : 'http'}, ${IN_FLIGHT} in flight, ${fmt(rowsPerBody)} records/body of ` +
      `${fmt(meanRecordBytes)} B, ${fmt(rawPerBody / 1024)} KiB JSON -> ${fmt(gzPerBody / 1024)} KiB gzip, ` +
      `${REQUESTS} requests x ${ROUNDS} rounds, medians)${process.env.EMULATOR_DIST ? ` dist=${process.env.EMULATOR_DIST}` : ''}`,
  );
  // Warm-up: JIT, TLS sessions, sockets.
  for (const t of Object.values(targets)) await drive(t, bodies, Math.min(60, REQUESTS), IN_FLIGHT);

  const results = Object.fromEntries(SERVERS.map((w) => [w, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const which of SERVERS) {
      results[which].push(await measure(targets[which], bodies, REQUESTS, IN_FLIGHT));
    }
  }
  const summary = {};
  for (const [which, runs] of Object.entries(results)) {
    const bad = runs.flatMap((x) => Object.keys(x.statuses)).filter((s) => s !== '204');
    summary[which] = {
      rowsPerSec: median(runs.map((x) => x.rowsPerSec)),
      reqPerSec: median(runs.map((x) => x.reqPerSec)),
      cpuMsPer1kRows: median(runs.map((x) => x.cpuMsPer1kRows)),
    };
    const mem = await ask(targets[which].child, 'memory');
    summary[which].rssMiB = mem.rss / 1048576;
    summary[which].heapMiB = mem.heap / 1048576;
    console.log(
      `  ${which.padEnd(9)} ${fmt(summary[which].rowsPerSec).padStart(9)} rows/s  ` +
        `${summary[which].reqPerSec.toFixed(1).padStart(6)} req/s  ` +
        `server CPU ${summary[which].cpuMsPer1kRows.toFixed(3)} ms/1k rows ` +
        `(${fmt((1000 / summary[which].cpuMsPer1kRows) * 1000)} rows per CPU-second)  rss ${fmt(summary[which].rssMiB)} MiB, heap ${fmt(summary[which].heapMiB)} MiB` +
        (bad.length ? `  NON-204: ${bad.join(',')}` : ''),
    );
  }
  const c = await ask(targets.emulator.child, 'counters');
  for (const base of ['floor', 'parse']) {
    console.log(
      `  ratio emulator/${base}: ${(summary.emulator.rowsPerSec / summary[base].rowsPerSec).toFixed(2)} (rows/s), ` +
        `${(summary[base].cpuMsPer1kRows / summary.emulator.cpuMsPer1kRows).toFixed(2)} (rows per server CPU-second)`,
    );
  }
  console.log(
    `  emulator counters: rowsIngested ${fmt(c.counters.rowsIngested)}, statuses ${JSON.stringify(c.counters.requestsByStatus)}`,
  );
  for (const t of Object.values(targets)) {
    t.agent.destroy();
    t.child.send('stop');
  }
}

if (role === 'emulator') await runEmulator();
else if (role === 'floor') await runFloor(false);
else if (role === 'parse') await runFloor(true);
else await main();
