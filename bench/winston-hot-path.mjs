// ns per logger.info() on the main thread: winston + json format + this transport, beside
// winston + json format + a no-op transport, in the same process, rounds interleaved.
//
//   node bench/winston-hot-path.mjs [--n 5000] [--rounds 41] [--before ../other/packages/winston]
//                                   [--split | --floor] [--field-columns SPEC]
//
// Rounds alternate (no-op, call, +delivery); each figure is the median over rounds, and the
// ratio is the median of the per-round ratios (robust to other load on the machine).
//
// Two figures for the transport:
//   call      the synchronous logger.info() loop (mapping, serialization, byte count, enqueue);
//             delivery is awaited after the timed region;
//   +delivery the same loop plus `await transport.flush()` inside the timed region, so batching,
//             gzip and HTTP work on this thread count too (the emulator runs in another process).
// --split adds a row for a transport that only queues one prebuilt record text per call
// (pushJsonUnchecked of azure-ingestion-core/adapter): the core's share of the cost, the rest being the mapping
// of the info to the record.
// --floor adds a row for a transport that only serializes, with the runtime's own JSON.stringify,
// a record object it builds from the info by hand (the same columns and Properties as ours) and
// discards the text: no mapping rules, no queue, no delivery. It is what serializing each log at
// the call costs on its own with the runtime's built-in serializer (the info must be serialized
// during the call: winston hands the application's own object over when it logs one).
// --before adds a row for another build of this package (a directory holding its package.json
// and dist, e.g. a worktree of the previous commit), measured in the same rounds, so a change
// is compared under the same machine load.
// --field-columns gives the measured transport (not the --before one) that fieldColumns option,
// e.g. 'UserId=userId,Attempt:int=attempt': with --before pointing at this same package, the
// cost of field columns (the record path instead of the JSON fast path) side by side.
// Build first: node_modules/.bin/pnpm --filter azure-ingestion-core --filter azure-ingestion-emulator
//   --filter winston-transport-azure-ingestion build
import { createRequire } from 'node:module';
import os from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulatorProcess } from './lib/emulator.mjs';
import { winstonRequire as require } from './lib/packages.mjs';
import { median, medianRatio, pluck } from './lib/stats.mjs';

const winston = require('winston');
const TransportStream = require('winston-transport');
const { AzureIngestionTransport } = require('winston-transport-azure-ingestion');

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '41' },
    before: { type: 'string' },
    split: { type: 'boolean', default: false },
    floor: { type: 'boolean', default: false },
    'field-columns': { type: 'string' },
  },
});
// Each extra logger in the process makes winston's shared code see one more transport class;
// with four, the JIT's state, not the transports, decides the ratios (seen here: a row below
// the no-op's). So one extra row at a time.
if ([values.split, values.before, values.floor].filter(Boolean).length > 1) {
  throw new Error('--split, --floor and --before: one at a time');
}
const N = Number(values.n);
const ROUNDS = Number(values.rounds);

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

const emu = await startEmulatorProcess();
const noop = new Noop();
const fieldColumns = values['field-columns'];
const azure = new AzureIngestionTransport(
  { warnings: false, ...(fieldColumns !== undefined && { fieldColumns }) },
  emu.env,
);
const base = makeLogger(noop);
const ours = makeLogger(azure);
const BeforeTransport = values.before
  ? createRequire(resolve(values.before, 'package.json'))(resolve(values.before))
      .AzureIngestionTransport
  : undefined;
const before = BeforeTransport && new BeforeTransport({ warnings: false }, emu.env);
const beforeLogger = before && makeLogger(before);

/** --split: the core alone, queueing the same prebuilt record text on every call. */
const { IngestionClient } = require('azure-ingestion-core');
const { pushJsonUnchecked } = require('azure-ingestion-core/adapter');
const constClient = values.split ? new IngestionClient({ warnings: false }, emu.env) : undefined;
const RECORD = JSON.stringify({
  TimeGenerated: new Date().toISOString(),
  Level: 'info',
  SeverityNumber: 9,
  Message: 'user signed in',
  Host: os.hostname(),
  Properties: { userId: 'u-1234', attempt: 1 },
});
class CorePush extends TransportStream {
  log(_info, next) {
    pushJsonUnchecked(constClient, RECORD);
    next();
  }
}
const corePush = constClient && new CorePush();
const corePushLogger = corePush && makeLogger(corePush);

/**
 * --floor: serialize a hand-built record with JSON.stringify, keep only its length. The time
 * text is kept per millisecond, as ours does, so that the row measures serialization and not
 * Date#toISOString once per log.
 */
const HOST = os.hostname();
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
    floorChars += JSON.stringify({
      TimeGenerated: floorIso,
      Level: info.level,
      SeverityNumber: 9,
      Message: info.message,
      Host: HOST,
      Properties: { userId: info.userId, attempt: info.attempt },
    }).length;
    next();
  }
}
const floor = values.floor ? new StringifyOnly() : undefined;
const floorLogger = floor && makeLogger(floor);

// warm-up
loop(base, 20_000);
loop(ours, 20_000);
await azure.flush();
if (before) {
  loop(beforeLogger, 20_000);
  await before.flush();
}
if (corePushLogger) {
  loop(corePushLogger, 20_000);
  await constClient.flush();
}
if (floorLogger) loop(floorLogger, 20_000);

const r = { noop: [], call: [], delivery: [], before: [], core: [], floor: [] };
for (let k = 0; k < ROUNDS; k++) {
  r.noop.push(await timed(base, noop, false));
  r.call.push(await timed(ours, azure, false));
  r.delivery.push(await timed(ours, azure, true));
  if (before) r.before.push(await timed(beforeLogger, before, false));
  if (corePush) {
    r.core.push(await timed(corePushLogger, corePush, false));
    await constClient.flush();
  }
  if (floor) r.floor.push(await timed(floorLogger, floor, false));
}
const stats = await azure.close();
if (before) await before.close();
if (constClient) await constClient.close();
emu.stop();

const ratio = (key, xs) => medianRatio(pluck(key, xs), pluck(key, r.noop));
const cell = (key, xs, base) =>
  `${median(pluck(key, xs)).toFixed(0).padStart(6)} ns${base ? '        ' : `  ${ratio(key, xs).toFixed(2)}x`}`;
const row = (label, xs, base) =>
  `  ${label.padEnd(36)} ${cell('ns', xs, base)}   ${cell('cpu', xs, base)}`;
console.log(
  `winston hot path: ${ROUNDS} rounds of ${N} logger.info(), medians per call, ratios vs no-op per round (load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cpus)`,
);
console.log(`  ${''.padEnd(36)} ${'wall'.padStart(6)}               cpu`);
console.log(row('winston + json + no-op transport', r.noop, true));
const fc = fieldColumns === undefined ? '' : ' fieldColumns';
console.log(`${row(`winston + json + Azure${fc} (call)`, r.call)}   (goal <= 1.20x)`);
console.log(row('winston + json + Azure (+delivery)', r.delivery));
if (before) console.log(row('winston + json + --before (call)', r.before));
if (corePush) console.log(row('winston + json + core push only', r.core), '(--split)');
// The characters serialized are printed so the work is used (and cannot be optimized away).
if (floor) {
  console.log(
    row('winston + json + JSON.stringify only', r.floor),
    `(--floor, ${floorChars} chars)`,
  );
}
console.log(
  `  delivered ${stats.delivered} of ${stats.accepted} accepted, dropped ${stats.dropped}, rejected ${stats.rejected}`,
);
