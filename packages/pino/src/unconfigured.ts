/**
 * A worker whose options (or environment) are invalid. Thrown from the factory inside pino's
 * worker, the ConfigurationError would end the application about 200 ms later, as an unhandled
 * 'error' on pino's ThreadStream that the application cannot catch. Instead the worker says what
 * is wrong once (stderr and `EVENTS.configError`), then counts and discards every line; flush
 * still calls back, and the close says how many lines were lost. In-process and in the CLI the
 * error is thrown at construction as usual; `azureIngestionTransport()` throws it in the main
 * thread for applications that want to fail at start-up.
 */
import type { ConfigurationError, IngestionStats } from 'azure-ingestion-core';
import { EVENTS, postEvent, summarizeConfigError, writeStderr } from './bridge.js';
import { isBlank, type LineStats } from './line-counter.js';
import { createLineStream, type LineStream } from './line-stream.js';

/** The counters of a worker that sends nothing: each line is a record rejected at once. */
function discardedStats(lines: number): IngestionStats & LineStats {
  return {
    accepted: lines,
    delivered: 0,
    rejected: lines,
    dropped: 0,
    retried: 0,
    requests: {},
    bytesRaw: 0,
    bytesGzipped: 0,
    bufferedBytes: 0,
    inFlight: 0,
    hookErrors: 0,
    spooled: 0,
    spoolBytes: 0,
    replayed: 0,
    lines,
    nonJson: 0,
    fastPath: 0,
  };
}

/** Reports `error` now, and returns the stream that counts and discards the lines. */
export function unconfiguredStream(
  error: ConfigurationError,
): LineStream & { stats(): IngestionStats & LineStats } {
  writeStderr(
    'pino-azure-ingestion: not sending logs, every line is discarded: the options (or ' +
      `AZURE_LOGS_INGESTION_* variables) of the transport's worker are invalid.\n${error.message}`,
  );
  postEvent(EVENTS.configError, summarizeConfigError(error));
  let lines = 0;
  const stats = () => discardedStats(lines);
  const stream = createLineStream({
    line(text) {
      if (!isBlank(text)) lines++;
    },
    settle() {
      postEvent(EVENTS.stats, stats());
      return Promise.resolve();
    },
    close() {
      if (lines > 0) {
        writeStderr(
          `pino-azure-ingestion: ${lines} log line${lines === 1 ? '' : 's'} discarded ` +
            '(invalid configuration, see above); nothing was sent',
        );
      }
      postEvent(EVENTS.stats, stats());
      return Promise.resolve();
    },
  });
  return Object.assign(stream, { stats });
}
