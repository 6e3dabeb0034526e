/**
 * The transport: pino-abstract-transport's line stream in front of the core's client.
 *
 *   worker mode:  logger ─► ThreadStream ═(shared buffer)═► worker: split lines ─► LineMapper ─► IngestionClient ─► Azure
 *   in-process:   logger ────────────────────────────────────────► split lines ─► LineMapper ─► IngestionClient ─► Azure
 *
 * `logger.flush(cb)` reaches the stream's `flush` (thread-stream forwards it into the worker), which
 * waits until every line written before is mapped and the client acknowledged it. At exit pino
 * ends the worker's stream; closing it closes the client, bounded by `closeTimeoutMs`.
 */
import { writeSync } from 'node:fs';
import type { Transform } from 'node:stream';
import {
  ENV_VARS,
  IngestionClient,
  type IngestionOptions,
  type IngestionStats,
} from 'azure-ingestion-core';
import build from 'pino-abstract-transport';
import { EVENTS, postEvent, summarize, workerContext } from './bridge.js';
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
export interface AzureIngestionStream extends Transform {
  /** Calls back once every line written before is delivered or finally failed. Never errors. */
  flush(callback: (error?: Error | null) => void): void;
  /** The counters of the client and of the lines. */
  stats(): TransportStats;
  /** The core's client (in-process use: `close()`, `stats()`, config). */
  readonly client: IngestionClient;
}

// A constant object: abstract-transport's per-line parse is skipped (the mapper parses lines).
const SKIP_PARSE = Object.freeze({});

function coreOptions(core: IngestionOptions, worker: boolean): IngestionOptions {
  const env = process.env;
  const ua = core.userAgent ?? env[ENV_VARS.userAgent];
  const out: Record<string, unknown> = {
    ...core,
    userAgent: ua ? `${ua} pino-azure-ingestion/${VERSION}` : `pino-azure-ingestion/${VERSION}`,
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
function drained(stream: Transform, queue: LineQueue): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const streamEmpty = stream.writableLength === 0 && stream.readableLength === 0;
      if (stream.destroyed || (streamEmpty && queue.empty)) {
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
      client.pushJson(json);
      return;
    }
    const result = mapper.safe(text);
    if (result.kind === 'not-json') counter.nonJson++;
    client.push(result.record);
  };

  const queue = new LineQueue(onLine);
  const stream = (await build(
    (
      source: Transform & { levels?: PinoConfig['levels']; messageKey?: string; errorKey?: string },
    ) => {
      if (pinoSendsConfig) {
        mapper.configure({
          ...(source.levels && { levels: source.levels }),
          ...(source.messageKey && { messageKey: source.messageKey }),
          ...(source.errorKey && { errorKey: source.errorKey }),
        });
      } else if (!worker) {
        // In-process, pino() emits its config on the destination stream itself.
        source.on('message', (msg: { code?: string; config?: PinoConfig }) => {
          if (msg?.code === 'PINO_CONFIG') mapper.configure(msg.config);
        });
      }
      source.on('data', (line: string) => queue.push(line));
    },
    {
      parse: 'lines',
      parseLine: () => SKIP_PARSE,
      metadata: false,
      expectPinoConfig: pinoSendsConfig,
      async close() {
        queue.drainAll();
        const final = { ...(await client.close()), ...counter.snapshot() };
        if (worker) postEvent(EVENTS.stats, final);
      },
    },
  )) as unknown as AzureIngestionStream;

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
