#!/usr/bin/env node
/**
 * `node app.js | pino-azure-ingestion`: NDJSON on stdin → Azure Monitor Logs Ingestion.
 * Configured by the `AZURE_LOGS_INGESTION_*` variables (as the other modes) and a few flags for
 * reading the lines. Flushes at end of input (or on SIGINT/SIGTERM), prints a one-line summary
 * on stderr, and exits 1 when records were rejected or dropped (2 on a configuration error, once
 * stdin has ended).
 */
import { parseArgs } from 'node:util';
import { ConfigurationError } from 'azure-ingestion-core';
import type { PinoLineOptions } from './options.js';
import { createTransport, type TransportStats } from './transport.js';
import { VERSION } from './version.js';

const HELP = `Usage: node app.js | pino-azure-ingestion [options]

Sends pino's NDJSON from stdin to an Azure Monitor Logs Ingestion stream.
Destination and delivery come from the environment:
  AZURE_LOGS_INGESTION_ENDPOINT, AZURE_LOGS_INGESTION_RULE_ID, AZURE_LOGS_INGESTION_STREAM
  (or AZURE_LOGS_INGESTION_URL), credentials via DefaultAzureCredential
  (or AZURE_LOGS_INGESTION_TOKEN for the local emulator), and the other AZURE_LOGS_INGESTION_* options.

Options:
  --echo                 also copy stdin to stdout
  --message-key <key>    key of the message (default: msg)
  --error-key <key>      key of the error (default: err)
  --time-key <key>       key of the time (default: time)
  --level-key <key>      key of the level (default: level)
  --custom-levels <l=n>  custom levels, e.g. audit=35,notice=45
  -h, --help             this text
  -v, --version          the version

Exit status: 0 all delivered, 1 records rejected or dropped, 2 configuration error (stdin is
still read to its end, and copied with --echo, so the application is not cut off).`;

function customLevels(text: string | undefined): Record<string, number> | undefined {
  if (text === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [label, n] = part.split('=');
    if (label) out[label.trim()] = Number(n);
  }
  return out;
}

function lineOptions(argv: string[]): { options: PinoLineOptions; echo: boolean } | string {
  const { values } = parseArgs({
    args: argv,
    options: {
      echo: { type: 'boolean' },
      'message-key': { type: 'string' },
      'error-key': { type: 'string' },
      'time-key': { type: 'string' },
      'level-key': { type: 'string' },
      'custom-levels': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) return HELP;
  if (values.version) return VERSION;
  const levels = customLevels(values['custom-levels']);
  const options: PinoLineOptions = {
    ...(values['message-key'] !== undefined && { messageKey: values['message-key'] }),
    ...(values['error-key'] !== undefined && { errorKey: values['error-key'] }),
    ...(values['time-key'] !== undefined && { timeKey: values['time-key'] }),
    ...(values['level-key'] !== undefined && { levelKey: values['level-key'] }),
    ...(levels && { customLevels: levels }),
  };
  return { options, echo: values.echo === true };
}

/** The one-line summary, and whether anything was lost. */
export function summary(s: TransportStats, ms: number): { line: string; lost: boolean } {
  const lost = s.rejected + s.dropped > 0 || s.delivered < s.accepted;
  const line =
    `pino-azure-ingestion: ${s.lines} lines (${s.nonJson} not JSON), ${s.delivered} delivered, ` +
    `${s.rejected} rejected, ${s.dropped} dropped, ${s.retried} retried in ${(ms / 1000).toFixed(1)} s`;
  return { line, lost };
}

/**
 * A configuration error: said at once, but stdin is still read to its end (and copied with
 * `--echo`), so that the application upstream is not cut off by a closed pipe (EPIPE can end
 * it); the exit status says 2 then.
 */
async function discardInput(error: ConfigurationError, echo: boolean): Promise<number> {
  process.stderr.write(
    `pino-azure-ingestion: not sending logs, the configuration is invalid\n${error.message}\n`,
  );
  const stdin = process.stdin;
  if (stdin.isTTY) return 2;
  let lines = 0;
  const ended = new Promise<void>((resolve) => stdin.once('end', resolve).once('error', resolve));
  if (echo) stdin.pipe(process.stdout);
  stdin.on('data', (chunk: Buffer) => {
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
  });
  await ended;
  if (lines > 0) {
    process.stderr.write(
      `pino-azure-ingestion: ${lines} line${lines === 1 ? '' : 's'} read and discarded\n`,
    );
  }
  return 2;
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof lineOptions>;
  try {
    parsed = lineOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`pino-azure-ingestion: ${(e as Error).message}\n${HELP}\n`);
    return 2;
  }
  if (typeof parsed === 'string') {
    process.stdout.write(`${parsed}\n`);
    return 0;
  }
  const started = Date.now();
  let stream: Awaited<ReturnType<typeof createTransport>>;
  try {
    stream = await createTransport(parsed.options, { validateLines: true });
  } catch (e) {
    if (e instanceof ConfigurationError) return discardInput(e, parsed.echo);
    throw e;
  }
  const closed = new Promise<void>((resolve) => stream.once('close', resolve));
  process.stdin.pipe(stream);
  if (parsed.echo) process.stdin.pipe(process.stdout);
  let signals = 0;
  const stop = () => {
    // First signal: stop reading and deliver what was read; a second one: leave now.
    if (++signals > 1) process.exit(130);
    process.stdin.unpipe(stream);
    stream.end();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await closed;
  const { line, lost } = summary(stream.stats(), Date.now() - started);
  process.stderr.write(`${line}\n`);
  return lost ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // stdin may still be open (a signal stopped us): do not wait for it.
    process.stdin.destroy();
  },
  (e: unknown) => {
    const config = e instanceof ConfigurationError;
    process.stderr.write(`${config ? (e as Error).message : String((e as Error)?.stack ?? e)}\n`);
    process.exitCode = config ? 2 : 1;
    process.stdin.destroy();
  },
);
