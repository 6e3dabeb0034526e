/**
 * The transport: a writable stream of pino's NDJSON in front of the core's client.
 *
 *   worker mode:  logger ─► ThreadStream ═(shared buffer)═► worker: chunks ─► LineQueue ─► LineMapper ─► IngestionClient ─► Azure
 *   in-process:   logger ─────────────────────────────────────────► chunks ─► LineQueue ─► LineMapper ─► IngestionClient ─► Azure
 *
 * Not built on pino-abstract-transport, the usual base of a pino transport. What it gives, and
 * what this stream does instead:
 * - lines: split2 re-encodes each chunk to a Buffer, decodes it again, splits it with a regular
 *   expression and emits one stream event per line; here LineQueue cuts the strings thread-stream
 *   writes, a slice of lines per event-loop turn (line-queue.ts);
 * - JSON.parse of every line (or the raw line with `parse: 'lines'`); here no parse on the fast
 *   path: the columns are cut out of the line's text and the rest is reused as Properties;
 * - an 'unknown' event (line, error) for a line that is not JSON, which is then dropped; here the
 *   same event, for a line that is not a JSON object, and the line is still delivered (Message =
 *   the line, Properties.nonJson = true, counted in stats().nonJson);
 * - waiting for pino's config (`expectPinoConfig`): here receivePinoConfig (bridge.ts);
 * - an 'error' ("not compatible with the current version of pino") when pino will not send its
 *   config: none here, since an 'error' kills the worker and every pino in the peer range (>= 9)
 *   sends it; without a config, pino's default keys and levels apply;
 * - close on destroy (its `close(err)`): here the Writable's destroy closes the client;
 * - metadata for pino.multistream (lastLevel, lastObj, …): not set, nothing here reads it.
 * Its reading alone, every line discarded, costs 0.26–0.42 µs of CPU per line: 18–24 % of the
 * 1.2–2.0 µs that all this transport's work costs per line (its own line cutting, mapping,
 * batching, gzip, HTTP to the emulator), measured on 2 shared cores (load 3–9) with
 *   node bench/pino-worker-cost.mjs
 *
 * `logger.flush(cb)` reaches the stream's `flush` (thread-stream forwards it into the worker), which
 * waits until every line written before is mapped and the client acknowledged it (line-stream.ts).
 * At exit pino ends the worker's stream; closing it closes the client, bounded by
 * `closeTimeoutMs`, and in the worker says on stderr how many records were not delivered.
 * A worker whose options are invalid sends its lines to a counter instead (unconfigured.ts).
 */
import {
  ConfigurationError,
  IngestionClient,
  type IngestionOptions,
  type IngestionStats,
} from 'azure-ingestion-core';
import {
  beforeExitReport,
  ENV_VARS,
  fieldColumnsClashes,
  withProductToken,
} from 'azure-ingestion-core/adapter';
import {
  EVENTS,
  postEvent,
  receivePinoConfig,
  summarize,
  workerContext,
  writeStderr,
} from './bridge.js';
import { clientSink } from './client-sink.js';
import { LineCounter, type LineStats } from './line-counter.js';
import { createLineStream, type LineStream } from './line-stream.js';
import { LineMapper, type PinoConfig } from './mapping.js';
import {
  type InProcessOptions,
  type LineConfig,
  type PinoTransportOptions,
  splitOptions,
} from './options.js';
import { unconfiguredStream } from './unconfigured.js';
import { VERSION } from './version.js';

/**
 * thread-stream waits at most 10 s for the worker's stream to close at exit, then gives up;
 * the final flush must end well inside that (core default 8000 ms is too close).
 */
export const WORKER_CLOSE_TIMEOUT_MS = 5000;

/** The adapter's counters next to the client's. */
export interface TransportStats extends IngestionStats, LineStats {}

/** The stream the factory returns: give it to `pino(options, stream)` (in-process mode). */
export interface AzureIngestionStream extends LineStream {
  /** Calls back once every line written before is delivered or finally failed. Never errors. */
  flush(callback: (error?: Error | null) => void): void;
  /** The counters of the client and of the lines. */
  stats(): TransportStats;
  /** The core's client (in-process use: `close()`, `stats()`, config). */
  readonly client: IngestionClient;
}

function coreOptions(core: IngestionOptions, worker: boolean): IngestionOptions {
  const env = process.env;
  const out: Record<string, unknown> = {
    ...withProductToken(core, `pino-azure-ingestion/${VERSION}`, env),
  };
  if (worker) {
    if (core.closeTimeoutMs === undefined && env[ENV_VARS.closeTimeoutMs] === undefined) {
      out.closeTimeoutMs = WORKER_CLOSE_TIMEOUT_MS;
    }
    out.warn = (line: string) => {
      writeStderr(line);
      postEvent(EVENTS.warning, line);
    };
    out.onError = (failure: Parameters<NonNullable<IngestionOptions['onError']>>[0]) =>
      postEvent(EVENTS.failure, summarize(failure));
  }
  return out as IngestionOptions;
}

/**
 * The options as the client of a worker (or of an in-process stream) gets them, and the
 * adapter's own part.
 * @throws ConfigurationError when an adapter option is invalid (the core's are checked by the
 * client, or by `resolveConfig`)
 */
export function transportOptions(
  options: PinoTransportOptions | InProcessOptions | undefined,
  worker: boolean,
): { core: IngestionOptions; line: LineConfig } {
  const { core, line } = splitOptions(options);
  return { core: coreOptions(core, worker), line };
}

/**
 * The transport factory: `pino({ transport: { target: 'pino-azure-ingestion', options } })` calls
 * it inside pino's worker; `pino(opts, await pinoAzureIngestion(options))` runs it in-process.
 * @throws ConfigurationError when an option (or its environment variable) is invalid, in-process.
 * In pino's worker it does not throw (that would end the application): it prints the problems
 * once on stderr, emits `EVENTS.configError`, and counts and discards the lines.
 */
export default function pinoAzureIngestion(
  options?: PinoTransportOptions | InProcessOptions,
): Promise<AzureIngestionStream> {
  return createTransport(options, { validateLines: false });
}

/** How the stream treats its input. */
export interface InputPolicy {
  /**
   * JSON.parse each line before the fast path reuses its text. pino's own output is valid JSON
   * by construction (the scanner checks its structure, not string contents), but the CLI reads
   * whatever is piped to it, and one invalid record would get its whole batch refused (400).
   */
  readonly validateLines: boolean;
}

/** The factory, with the input policy the CLI needs. @internal */
export async function createTransport(
  options: PinoTransportOptions | InProcessOptions | undefined,
  policy: InputPolicy,
): Promise<AzureIngestionStream> {
  const { worker, pinoSendsConfig } = workerContext();
  let client: IngestionClient;
  let mapper: LineMapper;
  try {
    const { core, line } = transportOptions(options, worker);
    client = new IngestionClient(core);
    const fields = client.config.fieldColumns;
    const clashes = fieldColumnsClashes(line.columns, fields);
    if (clashes.length > 0) {
      client.destroy();
      throw new ConfigurationError(clashes);
    }
    mapper = new LineMapper(line, client.config.maxDepth, Date.now, fields);
  } catch (error) {
    if (!(worker && error instanceof ConfigurationError)) throw error;
    // Only thread-stream holds this stream (it is inside the worker): no one misses its client.
    return unconfiguredStream(error) as AzureIngestionStream;
  }
  const counter = new LineCounter();
  const stats = (): TransportStats => ({ ...client.stats(), ...counter.snapshot() });
  // pino-abstract-transport's 'unknown' event, (line, error), for a line that is not a JSON
  // object; here the line is still delivered (Message = the line). A listener's throw must not
  // stop the line queue, so it is caught (and the record was counted already).
  const unknown = (line: string, error: unknown): void => {
    if (stream.listenerCount('unknown') === 0) return;
    try {
      stream.emit('unknown', line, error);
    } catch {
      // the listener's own bug; the lines go on
    }
  };
  const { validateLines } = policy;
  const sink = clientSink({ client, mapper, counter, validateLines, worker, unknown });
  const stream = createLineStream(sink) as AzureIngestionStream;
  // At process exit (process.exit(), a crash, a signal without a handler) the lines still in the
  // queue reach the client first, so that its report at exit counts them instead of nothing.
  beforeExitReport(client, () => stream.drainNow());

  if (pinoSendsConfig) {
    mapper.configure(await receivePinoConfig());
  } else if (!worker) {
    // In-process, pino() emits its config on the destination stream itself.
    stream.on('message', (msg: { code?: string; config?: PinoConfig } | null) => {
      if (msg?.code === 'PINO_CONFIG') mapper.configure(msg.config);
    });
  }
  Object.defineProperties(stream, {
    stats: { value: stats, writable: true, configurable: true },
    client: { value: client },
  });
  return stream;
}
