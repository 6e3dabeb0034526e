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
 * waits until every line written before is mapped and the client acknowledged it. At exit pino
 * ends the worker's stream; closing it closes the client, bounded by `closeTimeoutMs`.
 */
import { writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { IngestionClient, type IngestionOptions, type IngestionStats } from 'azure-ingestion-core';
import { ENV_VARS, pushJsonUnchecked, withProductToken } from 'azure-ingestion-core/adapter';
import { EVENTS, postEvent, receivePinoConfig, summarize, workerContext } from './bridge.js';
import { LineCounter, type LineStats } from './line-counter.js';
import { LineQueue } from './line-queue.js';
import { LineMapper, type PinoConfig } from './mapping.js';
import { type InProcessOptions, type PinoTransportOptions, splitOptions } from './options.js';
import { VERSION } from './version.js';

/**
 * thread-stream waits at most 10 s for the worker's stream to close at exit, then gives up;
 * the final flush must end well inside that (core default 8000 ms is too close).
 */
export const WORKER_CLOSE_TIMEOUT_MS = 5000;

/** The adapter's counters next to the client's. */
export interface TransportStats extends IngestionStats, LineStats {}

/** The stream the factory returns: give it to `pino(options, stream)` (in-process mode). */
export interface AzureIngestionStream extends Writable {
  /** Calls back once every line written before is delivered or finally failed. Never errors. */
  flush(callback: (error?: Error | null) => void): void;
  /** The counters of the client and of the lines. */
  stats(): TransportStats;
  /** The core's client (in-process use: `close()`, `stats()`, config). */
  readonly client: IngestionClient;
}

/**
 * Above thread-stream's chunks (its buffer is 4 MiB): `write` then returns true and thread-stream
 * reads on after a setImmediate. On false it would wait for 'drain', which comes on nextTick, and
 * loop on reading without ever giving the event loop (HTTP, the line queue) a turn.
 */
const HIGH_WATER_MARK = 16 * 1024 * 1024;

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
      // A worker's process.stderr is relayed by the main thread, which is blocked (or gone)
      // while pino waits for the worker at exit: write to the file descriptor directly.
      try {
        writeSync(2, `${line}\n`);
      } catch {
        // stderr closed: the event below is all we can do.
      }
      postEvent(EVENTS.warning, line);
    };
    out.onError = (failure: Parameters<NonNullable<IngestionOptions['onError']>>[0]) =>
      postEvent(EVENTS.failure, summarize(failure));
  }
  return out as IngestionOptions;
}

/** Resolves once every line written to the stream so far was handed to the client. */
function drained(stream: Writable, queue: LineQueue): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (stream.destroyed || (stream.writableLength === 0 && queue.empty)) {
        resolve();
      } else {
        setImmediate(check);
      }
    };
    check();
  });
}

/**
 * The transport factory: `pino({ transport: { target: 'pino-azure-ingestion', options } })` calls
 * it inside pino's worker; `pino(opts, await pinoAzureIngestion(options))` runs it in-process.
 * @throws ConfigurationError when an option (or its environment variable) is invalid
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
  const { core, line } = splitOptions(options);
  const client = new IngestionClient(coreOptions(core, worker));
  const mapper = new LineMapper(line, client.config.maxDepth);
  const counter = new LineCounter();
  const stats = (): TransportStats => ({ ...client.stats(), ...counter.snapshot() });

  const onLine = (line: string): void => {
    let text = line;
    const first = text.charCodeAt(0);
    // Blank lines are skipped; a byte-order mark (first line of a file piped to the CLI) is not data.
    if (Number.isNaN(first) || (first <= 32 && text.trim().length === 0)) return;
    if (first === 0xfeff) text = text.slice(1);
    counter.lines++;
    let json: string | undefined;
    try {
      if (policy.validateLines) JSON.parse(text);
      json = mapper.fast(text);
    } catch {
      json = undefined; // not JSON, or odd text inside a value: the safe path decides
    }
    if (json !== undefined) {
      counter.fast++;
      // Written by the core's record writer from the line's JSON pieces: one object by construction.
      pushJsonUnchecked(client, json);
      return;
    }
    const result = mapper.safe(text);
    if (result.kind === 'not-json') {
      counter.nonJson++;
      unknownLine(text, result.error);
    }
    client.push(result.record);
  };

  // pino-abstract-transport's 'unknown' event, (line, error), for a line that is not a JSON
  // object; here the line is still delivered (Message = the line). A listener's throw must not
  // stop the line queue, so it is caught (and the record was counted already).
  const unknownLine = (line: string, error: unknown): void => {
    if (stream.listenerCount('unknown') === 0) return;
    try {
      stream.emit('unknown', line, error);
    } catch {
      // the listener's own bug; the lines go on
    }
  };

  const queue = new LineQueue(onLine);
  const decoder = new StringDecoder('utf8');
  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    queue.drainAll();
    const final = { ...(await client.close()), ...counter.snapshot() };
    if (worker) postEvent(EVENTS.stats, final);
  };
  const stream = new Writable({
    highWaterMark: HIGH_WATER_MARK,
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      // thread-stream and pino write strings; a pipe (the CLI's stdin) writes bytes.
      queue.push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
      callback();
    },
    final(callback) {
      queue.push(decoder.end());
      callback();
    },
    destroy(_error, callback) {
      // At the end of input and on destroy(); delivery errors never become an 'error' event
      // (in a worker that kills it), as with pino-abstract-transport's close.
      closing ??= close();
      closing.then(
        () => callback(null),
        () => callback(null),
      );
    },
  }) as AzureIngestionStream;

  if (pinoSendsConfig) {
    mapper.configure(await receivePinoConfig());
  } else if (!worker) {
    // In-process, pino() emits its config on the destination stream itself.
    stream.on('message', (msg: { code?: string; config?: PinoConfig } | null) => {
      if (msg?.code === 'PINO_CONFIG') mapper.configure(msg.config);
    });
  }

  const flush = (callback: (error?: Error | null) => void): void => {
    drained(stream, queue)
      .then(() => client.flush())
      .then(() => {
        if (worker) postEvent(EVENTS.stats, stats());
      })
      .then(
        () => callback(),
        () => callback(),
      );
  };
  Object.defineProperties(stream, {
    flush: { value: flush, writable: true, configurable: true },
    stats: { value: stats, writable: true, configurable: true },
    client: { value: client },
  });
  return stream;
}
