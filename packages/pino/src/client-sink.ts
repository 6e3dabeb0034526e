/**
 * Where a configured transport's lines go: each line becomes one record (the fast path reuses
 * its text, the safe path parses it), pushed to the core's client. In a worker the counters go
 * to the main thread after each flush and at close, and a close that leaves records undelivered
 * says how many on stderr (the worker's own stderr line: the application cannot see its client).
 */
import type { IngestionClient, IngestionStats } from 'azure-ingestion-core';
import { pushJsonUnchecked } from 'azure-ingestion-core/adapter';
import { EVENTS, postEvent, writeStderr } from './bridge.js';
import { isBlank, type LineCounter } from './line-counter.js';
import type { LineSink } from './line-stream.js';
import type { LineMapper } from './mapping.js';

export interface ClientSinkParts {
  readonly client: IngestionClient;
  readonly mapper: LineMapper;
  readonly counter: LineCounter;
  /** JSON.parse each line before the fast path reuses its text (see InputPolicy). */
  readonly validateLines: boolean;
  /** Inside pino's worker thread. */
  readonly worker: boolean;
  /** A line that is not a JSON object (it is still delivered, as its Message). */
  readonly unknown?: (line: string, error: unknown) => void;
}

/**
 * The line on stderr for records a worker's close leaves undelivered, or undefined. With a
 * spool, what it kept for the next start is said apart from what is lost.
 */
export function lossLine(s: IngestionStats): string | undefined {
  const lost = s.accepted - s.delivered;
  if (lost <= 0) return undefined;
  const kept = s.spooled > 0 ? `, ${s.spooled} kept in the spool for the next start` : '';
  return (
    `pino-azure-ingestion: ${lost} of ${s.accepted} records were not delivered ` +
    `(${s.rejected} rejected, ${s.dropped} dropped${kept})`
  );
}

export function clientSink(parts: ClientSinkParts): LineSink {
  const { client, mapper, counter, validateLines, worker, unknown } = parts;
  const stats = () => ({ ...client.stats(), ...counter.snapshot() });
  return {
    line(line) {
      // Blank lines are skipped; a byte-order mark (first line of a file piped to the CLI) is not data.
      if (isBlank(line)) return;
      const text = line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
      counter.lines++;
      let json: string | undefined;
      try {
        if (validateLines) JSON.parse(text);
        json = mapper.fast(text);
      } catch {
        json = undefined; // not JSON, or odd text inside a value: the safe path decides
      }
      if (json !== undefined) {
        counter.fast++;
        // Written by the core's record writer from the line's JSON pieces: one object by
        // construction.
        pushJsonUnchecked(client, json);
        return;
      }
      const result = mapper.safe(text);
      if (result.kind === 'not-json') {
        counter.nonJson++;
        unknown?.(text, result.error);
      }
      client.push(result.record);
    },
    settle() {
      return client.flush().then(() => {
        if (worker) postEvent(EVENTS.stats, stats());
      });
    },
    async close() {
      const final = { ...(await client.close()), ...counter.snapshot() };
      if (!worker) return;
      const loss = lossLine(final);
      if (loss !== undefined) writeStderr(loss);
      postEvent(EVENTS.stats, final);
    },
  };
}
