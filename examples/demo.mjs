// @ts-check
/**
 * The two-minute tour (`npm run demo`): starts the Logs Ingestion emulator in this process, logs
 * through winston and through pino (worker thread) into one table, flushes both, and shows what
 * landed and what it cost on the wire. Nothing needs Azure; nothing is left running (with
 * `--console`, the emulator stays up until Ctrl-C, for its web console).
 */
import { performance } from 'node:perf_hooks';
import { startEmulator } from 'azure-ingestion-emulator';
import pino from 'pino';
import { EVENTS } from 'pino-azure-ingestion';
import winston from 'winston';
import { AzureIngestionTransport } from 'winston-transport-azure-ingestion';

/** `npm run demo -- --console`: keep the emulator up afterwards, to see it all in its web console. */
const keep = process.argv.includes('--console');
const started = performance.now();
const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
/** @param {string} code @param {string} text */
const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const bold = (/** @type {string} */ t) => paint('1', t);
const dim = (/** @type {string} */ t) => paint('2', t);
/** @type {Record<string, string>} */
const LEVEL_COLORS = { error: '31', fatal: '31', warn: '33', info: '32', debug: '36' };
const num = (/** @type {number} */ n) => n.toLocaleString('en-US');

// 1. The emulator: the service, its default DCR (stream Custom-AppLogs → table AppLogs_CL).
const emu = await startEmulator({ port: 0 });
const connection = {
  // The whole stream URL (endpoint, rule and stream) and a token the emulator accepts; against
  // Azure these come from AZURE_LOGS_INGESTION_* and the managed identity.
  url: emu.streamUrl(),
  token: emu.token(),
  // Quick retries for the demo; the default first backoff is 500 ms.
  retryBaseMs: 100,
};
const rule = emu.rules[0];
// The first request fails with 503, as Azure sometimes does: it is retried, nothing is lost.
emu.faults.enqueue({ status: 503, errorCode: 'ServiceUnavailable' });

// 2. winston, in this thread.
const transport = new AzureIngestionTransport({ ...connection, warnings: false });
const wlog = winston.createLogger({ defaultMeta: { logger: 'winston' }, transports: [transport] });

// 3. pino, with the transport in its worker thread (options must be plain data to cross).
const pinoStream = pino.transport({
  target: 'pino-azure-ingestion',
  options: { ...connection, warnings: false },
});
/** @type {Record<string, unknown> | undefined} */
let pinoStats;
pinoStream.on(EVENTS.stats, (/** @type {Record<string, unknown>} */ s) => {
  pinoStats = s;
});
const plog = pino({ base: { logger: 'pino' } }, pinoStream);

// 4. Some logs of an imaginary shop.
wlog.info('server started', { port: 8080 });
plog.info({ queue: 'orders' }, 'worker started');
wlog.info('GET /orders/42 200', { durationMs: 12, orderId: 42 });
plog.info({ jobId: 'j-981', orderId: 42 }, 'invoice job picked');
wlog.warn('cache miss', { key: 'order:42' });
plog.warn({ upstream: 'tax-api', attempt: 2 }, 'retrying upstream call');
wlog.error('payment declined', { error: new Error('card expired'), orderId: 43 });
plog.error({ err: new TypeError('amount must be a number') }, 'invoice job failed');
plog.info({ jobId: 'j-982', orderId: 44 }, 'invoice sent');
wlog.info('GET /health 200', { durationMs: 1 });
// A burst, to show batching and compression: many records per request, gzip on the wire.
const BURST = 1000;
for (let i = 0; i < BURST; i++) {
  wlog.info('GET /products 200', { burst: true, durationMs: i % 17, productId: i });
  plog.info({ burst: true, jobId: `b-${i}`, items: i % 5 }, 'thumbnail rendered');
}
const logged = 10 + 2 * BURST;

// 5. Flush both: each resolves once the service acknowledged (204) what was logged before.
await transport.flush();
await new Promise((resolve) => plog.flush(resolve));
const flushed = performance.now();

// 6. Close everything, so the process exits by itself.
const winstonStats = await transport.close();
wlog.close();
await new Promise((resolve) => {
  pinoStream.once('close', resolve);
  pinoStream.end();
});
const rows = emu.rows('AppLogs_CL');
const counters = emu.counters();
const requests = emu.requests();
if (!keep) await emu.stop();

// 7. What landed.
/** @param {unknown} v */
const text = (v) => (v === null || v === undefined ? '' : String(v));
/** @param {string} s @param {number} w */
const fit = (s, w) => (s.length > w ? `${s.slice(0, w - 1)}~` : s.padEnd(w));
const headers = ['time (UTC)', 'level', 'logger', 'message'];
const story = rows.filter((r) => !(/** @type {Record<string, unknown>} */ (r.Properties)?.burst));
const table = story
  .map((r) => ({
    time: text(r.TimeGenerated).slice(11, 23),
    level: text(r.Level),
    logger: text(/** @type {Record<string, unknown> | null} */ (r.Properties)?.logger),
    message: text(r.Message),
  }))
  .sort((a, b) => a.time.localeCompare(b.time));
const widths = [12, 5, 7, 46];
const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
/** @param {string[]} cells @param {(s: string, i: number) => string} [style] */
const row = (cells, style = (s) => s) =>
  `| ${cells.map((c, i) => style(fit(c, widths[i] ?? 10), i)).join(' | ')} |`;

const out = [];
out.push('');
out.push(bold('Azure Logs Ingestion transports: local demo'));
out.push(dim(`emulator ${emu.endpoint}  rule ${rule?.ruleId}`));
out.push(dim(`stream ${rule?.streams[0]?.name} -> table ${rule?.streams[0]?.outputTable}`));
out.push('');
out.push(bold(`Rows in AppLogs_CL: ${rows.length}`));
out.push(
  line,
  row(headers, (s) => bold(s)),
  line,
);
for (const r of table) {
  out.push(
    row([r.time, r.level, r.logger, r.message], (s, i) =>
      i === 1 ? paint(LEVEL_COLORS[r.level] ?? '0', s) : s,
    ),
  );
}
out.push(line);
out.push(dim(`... and ${num(rows.length - story.length)} rows of a burst (not shown)`));

const byStatus = new Map();
for (const q of requests) byStatus.set(q.status, (byStatus.get(q.status) ?? 0) + 1);
const statusText = [...byStatus].map(([s, n]) => `${n} x ${s}`).join(', ');
const raw = requests.reduce((sum, q) => sum + q.decodedBytes, 0);
const wire = requests.reduce((sum, q) => sum + q.wireBytes, 0);
const ps = /** @type {{ delivered?: number, rejected?: number, retried?: number } | undefined} */ (
  pinoStats
);
const label = (/** @type {string} */ s) => dim(s.padEnd(12));
out.push('');
out.push(bold('Delivery'));
out.push(
  `${label('winston')}delivered ${winstonStats.delivered}, rejected ${winstonStats.rejected}, retried ${winstonStats.retried}`,
);
out.push(
  `${label('pino')}delivered ${ps?.delivered ?? '?'}, rejected ${ps?.rejected ?? '?'}, retried ${ps?.retried ?? '?'}  ${dim('(counted in the worker thread)')}`,
);
out.push(
  `${label('service')}rows ingested ${counters.rowsIngested}, columns dropped ${counters.columnsDropped}, type errors ${counters.typeErrors}`,
);
out.push(`${label('requests')}${requests.length} (${statusText})`);
out.push(
  `${label('bytes')}${num(raw)} JSON -> ${num(wire)} gzip on the wire (${raw > 0 ? Math.round((100 * wire) / raw) : 0}%)`,
);
out.push(
  `${label('elapsed')}${Math.round(flushed - started)} ms to deliver everything, ${Math.round(performance.now() - started)} ms in all`,
);
out.push('');

const ok = rows.length === logged && counters.columnsDropped === 0;
out.push(
  ok
    ? `${paint('32', 'OK')}  every log landed. Next: ${bold('npm test')}, or point AZURE_LOGS_INGESTION_* at Azure (templates/).`
    : `${paint('31', 'FAILED')}  expected ${logged} rows without dropped columns.`,
);
out.push('');
if (keep) {
  out.push(
    `${bold('Console')}  ${emu.endpoint}/  ${dim('open it in a browser; Ctrl-C stops')}`,
    '',
  );
}
process.stdout.write(out.join('\n'));
process.exitCode = ok ? 0 : 1;
if (keep) {
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emu.stop();
}
