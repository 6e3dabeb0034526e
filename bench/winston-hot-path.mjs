// ns per logger.info() on the main thread: winston + timestamp() + json() + this transport,
// beside the same logger with a no-op transport, in the same process, rounds interleaved. The
// logs are realistic (bench/lib/records.mjs: a ~60-character message, trace and span ids, eight
// request fields; each record ~430 bytes of JSON).
//
//   node bench/winston-hot-path.mjs [--n 5000] [--rounds 41]
//                                   [--before ../other/packages/winston | --split | --floor | --scan]
//                                   [--field-columns SPEC]
//
// Rounds alternate (no-op, call, +delivery, extra row); each figure is the median over rounds,
// and each ratio the median of the per-round ratios to the no-op, with its interquartile range
// (robust to other load on the machine). Three measures per call: wall time, CPU time of the
// main thread (Linux /proc schedstat: what the application's thread pays), and CPU time of the
// whole process (all threads: GC helpers, and with delivery zlib's threadpool too).
//
// Two figures for the transport:
//   call      the synchronous logger.info() loop (mapping, serialization, byte count, enqueue);
//             delivery is awaited after the timed region;
//   +delivery the same loop plus `await transport.flush()` inside the timed region, so batching,
//             gzip and HTTP work count too (the emulator runs in another process): its main-thread
//             CPU is the "busy time per record until delivered".
// One extra row at a time:
// --split  a transport that only queues one prebuilt record text per call (pushJsonUnchecked of
//          azure-ingestion-core/adapter): the core's share of the cost, the rest being the
//          mapping of the info to the record; and the same with its delivery (the core's
//          share of the main thread until delivered).
// --floor  a transport that only serializes, with the runtime's own JSON.stringify, a record
//          object it builds from the info by hand (the same columns and Properties as ours) and
//          discards the text: no mapping rules, no queue, no delivery.
// --scan   a transport that only finds the members of the JSON text winston's json() format
//          already made (info[MESSAGE], with the core's scanner, as the pino adapter reads pino's
//          lines) and queues one prebuilt record text: the least that building the record from
//          winston's text would cost, before any check that the text is this info's JSON.
// --before another build of this package (a directory holding its package.json and dist, e.g.
//          a worktree of the previous commit), measured in the same rounds.
// --field-columns gives the measured transport (not the --before one) that fieldColumns option,
//          e.g. 'UserId=userId,Attempt:int=attempt': with --before pointing at this same package,
//          the cost of field columns (the record path instead of the JSON fast path) side by side.
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core --filter azure-ingestion-emulator
//   --filter winston-transport-azure-ingestion build
import { createRequire } from 'node:module';
import os from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulatorProcess } from './lib/emulator.mjs';
import { winstonRequire as require } from './lib/packages.mjs';
import { realisticLogs } from './lib/records.mjs';
import { median, pluck, ratioText } from './lib/stats.mjs';
import { mainThreadNs } from './lib/threads.mjs';

const winston = require('winston');
const TransportStream = require('winston-transport');
const { AzureIngestionTransport } = require('winston-transport-azure-ingestion');
const { IngestionClient } = require('azure-ingestion-core');
const { PairIndex, pushJsonUnchecked, scanPairs } = require('azure-ingestion-core/adapter');

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '41' },
    before: { type: 'string' },
    split: { type: 'boolean', default: false },
    floor: { type: 'boolean', default: false },
    scan: { type: 'boolean', default: false },
    'field-columns': { type: 'string' },
  },
});
const fieldColumns = values['field-columns'];
// Each extra logger in the process makes winston's shared code see one more transport class;
// with four, the JIT's state, not the transports, decides the ratios (seen here: a row below
// the no-op's). So one extra row at a time.
const extras = ['before', 'split', 'floor', 'scan'].filter((k) => values[k]);
if (extras.length > 1) throw new Error('--before, --split, --floor and --scan: one at a time');
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const LOGS = realisticLogs();
const HOST = os.hostname();
const MESSAGE = Symbol.for('message');

class Noop extends TransportStream {
  log(_info, next) {
    next();
  }
}

function makeLogger(transport) {
  return winston.createLogger({
    level: 'info',
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [transport],
  });
}

function loop(logger, n) {
  for (let i = 0; i < n; i++) {
    const log = LOGS[i & 1023];
    logger.info(log.message, log.meta);
  }
}

/**
 * One round: per call, wall ns, main-thread CPU ns, and process CPU ns (user + system, all
 * threads). CPU time does not count time the thread was preempted, so it is the steadier
 * figure on a shared machine.
 */
async function timed(logger, transport, withDelivery) {
  const c0 = process.cpuUsage();
  const m0 = mainThreadNs();
  const t0 = process.hrtime.bigint();
  loop(logger, N);
  if (withDelivery) await transport.flush();
  const ns = Number(process.hrtime.bigint() - t0) / N;
  const main = (mainThreadNs() - m0) / N;
  const c = process.cpuUsage(c0);
  const cpu = ((c.user + c.system) * 1000) / N;
  if (!withDelivery && transport.flush) await transport.flush();
  // let 'logged' events and stream bookkeeping settle outside the timed region
  await new Promise((r) => setImmediate(r));
  return { ns, main, cpu };
}

const emu = await startEmulatorProcess();
const rows = [
  { key: 'noop', label: 'winston + json + no-op transport', transport: new Noop() },
  {
    key: 'call',
    label: 'winston + json + Azure (call)',
    transport: new AzureIngestionTransport(
      { warnings: false, ...(fieldColumns !== undefined && { fieldColumns }) },
      emu.env,
    ),
    goal: '(goal <= 1.20x)',
  },
];
const azure = rows[1].transport;
rows.push({
  key: 'delivery',
  label: 'winston + json + Azure (+delivery)',
  transport: azure,
  delivery: true,
  goal: '(main-thread goal <= 1.40x)',
});

/** A record text as ours writes it, for the rows that queue a prebuilt one. */
const RECORD = JSON.stringify({
  TimeGenerated: new Date().toISOString(),
  Level: 'info',
  SeverityNumber: 9,
  Message: LOGS[0].message,
  TraceId: LOGS[0].meta.trace_id,
  SpanId: LOGS[0].meta.span_id,
  Host: HOST,
  Properties: { ...LOGS[0].meta, trace_id: undefined, span_id: undefined },
});
const constClient =
  values.split || values.scan ? new IngestionClient({ warnings: false }, emu.env) : undefined;

/** --split: the core alone, queueing the same prebuilt record text on every call. */
class CorePush extends TransportStream {
  log(_info, next) {
    pushJsonUnchecked(constClient, RECORD);
    next();
  }
  flush() {
    return constClient.flush();
  }
}

/** --scan: the members of winston's own JSON text found, then a prebuilt record queued. */
const index = new PairIndex();
let scannedPairs = 0;
class ScanOnly extends CorePush {
  log(info, next) {
    scannedPairs += scanPairs(info[MESSAGE], index);
    super.log(info, next);
  }
}

/**
 * --floor: serialize a hand-built record with JSON.stringify, keep only its length. The time
 * text is kept per millisecond, as ours does, so that the row measures serialization and not
 * Date#toISOString once per log.
 */
let floorChars = 0;
let floorMs = -1;
let floorIso = '';
class StringifyOnly extends TransportStream {
  log(info, next) {
    const ms = Date.now();
    if (ms !== floorMs) {
      floorMs = ms;
      floorIso = new Date(ms).toISOString();
    }
    const { level, message, timestamp, trace_id, span_id, ...properties } = info;
    floorChars += JSON.stringify({
      TimeGenerated: timestamp ?? floorIso,
      Level: level,
      SeverityNumber: 9,
      Message: message,
      TraceId: trace_id,
      SpanId: span_id,
      Host: HOST,
      Properties: properties,
    }).length;
    next();
  }
}

if (values.before) {
  const Before = createRequire(resolve(values.before, 'package.json'))(
    resolve(values.before),
  ).AzureIngestionTransport;
  rows.push({
    key: 'extra',
    label: 'winston + json + --before (call)',
    transport: new Before({ warnings: false }, emu.env),
  });
}
if (values.split) {
  const transport = new CorePush();
  rows.push({ key: 'extra', label: 'winston + json + core push only', transport });
  // The same with its delivery: the core's share of the main thread until delivered.
  rows.push({
    key: 'extra',
    label: 'core push only (+delivery)',
    transport,
    delivery: true,
    same: true,
  });
}
if (values.scan) {
  rows.push({
    key: 'extra',
    label: 'winston + json + scan text + push',
    transport: new ScanOnly(),
  });
}
if (values.floor) {
  rows.push({
    key: 'extra',
    label: 'winston + json + JSON.stringify only',
    transport: new StringifyOnly(),
  });
}
for (const row of rows) {
  row.logger =
    row.key === 'delivery'
      ? rows[1].logger
      : row.same
        ? rows.at(-2).logger
        : makeLogger(row.transport);
  row.runs = [];
}

// warm-up
for (const row of rows) {
  loop(row.logger, 20_000);
  await row.transport.flush?.();
}
for (let k = 0; k < ROUNDS; k++) {
  for (const row of rows) row.runs.push(await timed(row.logger, row.transport, row.delivery));
}
const stats = await azure.close();
for (const row of rows.slice(3)) await row.transport.close?.();
if (constClient) await constClient.close();
emu.stop();

const base = rows[0].runs;
const cell = (key, runs) =>
  `${median(pluck(key, runs)).toFixed(0).padStart(6)} ns ${runs === base ? ''.padEnd(19) : ratioText(pluck(key, runs), pluck(key, base)).padEnd(19)}`;
console.log(
  `winston hot path: ${ROUNDS} rounds of ${N} logger.info() (realistic records, timestamp() + json()), medians per call; ratios to the no-op per round: median (interquartile range); load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cpus, Node ${process.version}`,
);
console.log(
  `  ${''.padEnd(36)} ${'wall'.padEnd(28)}${'main-thread CPU'.padEnd(28)}process CPU (all threads)`,
);
for (const row of rows) {
  console.log(
    `  ${row.label.padEnd(36)} ${cell('ns', row.runs)} ${cell('main', row.runs)} ${cell('cpu', row.runs)} ${row.goal ?? ''}`,
  );
}
// What the extra rows did is printed, so their work is used (and cannot be optimized away).
if (values.floor) console.log(`  (--floor serialized ${floorChars} characters)`);
if (values.scan) console.log(`  (--scan found ${scannedPairs} members)`);
console.log(
  `  delivered ${stats.delivered} of ${stats.accepted} accepted, dropped ${stats.dropped}, rejected ${stats.rejected}`,
);
