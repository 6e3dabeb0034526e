/**
 * `azure-ingestion send [FILE…]`: NDJSON from files or stdin to the configured stream through
 * the core's batching and retries, with a progress line on a terminal, a summary at the end,
 * and a non-zero exit status when records were rejected or dropped, or lines were not records.
 *
 * The reader waits while the client's queue holds more than a quarter of its byte budget, so
 * a file larger than the budget is sent without the overflow policy dropping anything.
 */
import type { IngestionStats } from 'azure-ingestion-core';
import { resolveConfig, withProductToken } from 'azure-ingestion-core/adapter';
import { type InputLine, lineInput } from '../input.js';
import { bytes, count, EXIT, type Io, Printer, writeJson } from '../io.js';
import { PRODUCT } from '../version.js';
import { Progress } from './progress.js';
import { createSink, type MapMode, type Sink } from './sinks.js';

export interface SendCommand {
  readonly files: readonly string[];
  readonly map: MapMode;
  /** The DCR file for the schema pre-flight (else the configuration's `dcrFile`). */
  readonly dcrFile?: string | undefined;
  readonly json: boolean;
  /** Draw the progress line (default: when stderr is a terminal). */
  readonly progress?: boolean | undefined;
}

/** A line that was not sent, and why (the first ones are listed in the summary). */
interface Refused {
  readonly source: string;
  readonly line: number;
  readonly reason: string;
}

const LISTED = 20;

/** How the core's warnings about a column the service would drop or null begin. */
const PREFLIGHT = 'schema pre-flight:';

/** Sends the lines; resolves with the counts of lines read and refused. */
async function pump(
  lines: AsyncIterable<InputLine>,
  sink: Sink,
  busyBytes: number,
  counts: { read: number; invalid: number; refused: Refused[] },
): Promise<void> {
  for await (const line of lines) {
    if (line.text.trim() === '') continue;
    counts.read++;
    const reason = await sink.line(line.text);
    if (reason !== undefined) {
      counts.invalid++;
      if (counts.refused.length < LISTED)
        counts.refused.push({ source: line.source, line: line.number, reason });
    }
    // Every 256 lines: more than the budget's quarter queued, so wait for it to be delivered.
    if ((counts.read & 255) === 0 && sink.stats().bufferedBytes > busyBytes) await sink.flush();
  }
}

function summary(
  s: IngestionStats & { nonJson?: number },
  counts: { read: number; invalid: number; refused: Refused[]; preflight: number },
  ms: number,
  bytesRead: number,
  err: Printer,
): void {
  const ok = s.delivered === s.accepted && counts.invalid === 0 && counts.preflight === 0;
  const head = `${count(s.delivered)} of ${count(s.accepted)} records delivered`;
  const parts = [
    `${count(s.rejected)} rejected`,
    `${count(s.dropped)} dropped`,
    `${count(counts.invalid)} lines not sent`,
    ...(s.nonJson ? [`${count(s.nonJson)} lines sent as text (not JSON)`] : []),
    ...(counts.preflight
      ? [`${count(counts.preflight)} columns the service drops or nulls, see the pre-flight above`]
      : []),
  ];
  const size = `${bytes(bytesRead)} read, ${bytes(s.bytesRaw)} sent (${bytes(s.bytesGzipped)} gzipped)`;
  err.line(
    `${err.style('bold', 'azure-ingestion send')}: ${err.style(ok ? 'green' : 'red', head)} (${parts.join(', ')}); ${size} in ${(ms / 1000).toFixed(1)} s`,
  );
  for (const r of counts.refused) err.line(`  ${r.source}:${r.line}: ${r.reason}`);
  if (counts.invalid > counts.refused.length)
    err.line(`  … and ${count(counts.invalid - counts.refused.length)} more`);
}

/** Runs `send`; resolves with the exit status. `stop` ends the reading early (a signal). */
export async function runSend(command: SendCommand, io: Io, stop?: AbortSignal): Promise<number> {
  // The core's warnings go to stderr as usual; those of the schema pre-flight are counted too:
  // a record whose column the service would drop or null is not sent as it should be.
  let preflight = 0;
  const warn = (line: string): void => {
    preflight += line.split(PREFLIGHT).length - 1;
    io.stderr.write(`${line}\n`);
  };
  const options = withProductToken(
    { warn, ...(command.dcrFile !== undefined && { dcrFile: command.dcrFile }) },
    PRODUCT,
    io.env,
  );
  // The configuration's problems, before any input is read (the sinks check it again).
  const { config } = resolveConfig(options, io.env);
  const input = lineInput(command.files, io);
  const sink = await createSink(command.map, options, io.env);
  const err = new Printer(io.stderr, io.env);
  const counts = { read: 0, invalid: 0, refused: [] as Refused[] };
  const showProgress = command.progress ?? (io.stderr.isTTY === true && !command.json);
  const progress = new Progress({ out: err, input, sink, lines: () => counts });
  if (showProgress) progress.start();
  const started = performance.now();
  stop?.addEventListener('abort', () => input.stop(), { once: true });
  let failure: unknown;
  try {
    await pump(input.lines, sink, Math.min(8 * 1024 * 1024, config.maxBufferBytes / 4), counts);
  } catch (error) {
    failure = error; // a file that cannot be read on: what was read is still delivered
  } finally {
    progress.stop();
  }
  const final = await sink.close();
  if (failure !== undefined) throw failure;
  const ms = performance.now() - started;
  const ok = final.delivered === final.accepted && counts.invalid === 0 && preflight === 0;
  if (command.json) {
    writeJson(io.stdout, {
      ok,
      lines: counts.read,
      accepted: final.accepted,
      delivered: final.delivered,
      rejected: final.rejected,
      dropped: final.dropped,
      retried: final.retried,
      linesNotSent: counts.invalid,
      preflightWarnings: preflight,
      ...(final.nonJson !== undefined && { linesSentAsText: final.nonJson }),
      refused: counts.refused,
      requests: final.requests,
      bytesRead: input.bytesRead(),
      bytesSent: final.bytesRaw,
      bytesGzipped: final.bytesGzipped,
      seconds: Number((ms / 1000).toFixed(3)),
    });
  } else summary(final, { ...counts, preflight }, ms, input.bytesRead(), err);
  return ok ? EXIT.OK : EXIT.FAILED;
}
