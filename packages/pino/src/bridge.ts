/**
 * How delivery problems leave pino's worker thread. Functions cannot cross into the worker, so
 * the core's `warn` and `onError` are built here and forward to the main thread as thread-stream
 * `EVENT` messages: the transport returned by `pino.transport()` re-emits them, e.g.
 * `transport.on(EVENTS.warning, (line) => …)`. Warnings also go to stderr, as the core would
 * write them. Nothing here ever emits `error`: in pino that kills the worker.
 *
 *   worker: core ──warn/onError──► postMessage({ code: 'EVENT', name, args })
 *   main:   ThreadStream ──emit(name, ...args)──► your listener
 */
import { writeSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type {
  ConfigProblem,
  ConfigurationError,
  DeliveryFailure,
  ErrorCode,
} from 'azure-ingestion-core';
import type { PinoConfig } from './mapping.js';

/** Event names on the transport stream (worker mode: the `pino.transport()` stream). */
export const EVENTS = Object.freeze({
  /** `(line: string)`: a rate-limited one-line warning of the core. */
  warning: 'azure-ingestion:warning',
  /** `(failure: FailureSummary)`: records that will never be delivered. */
  failure: 'azure-ingestion:failure',
  /** `(stats: TransportStats)`: counters, after each flush and at close. */
  stats: 'azure-ingestion:stats',
  /**
   * `(summary: ConfigErrorSummary)`: the worker's options (or environment) are invalid; it
   * counts and discards every line instead of ending the application. Emitted once, at start.
   */
  configError: 'azure-ingestion:config-error',
});

/** A cloneable summary of a `DeliveryFailure` (the records themselves stay in the worker). */
export interface FailureSummary {
  readonly code: ErrorCode;
  readonly message: string;
  readonly status?: number;
  readonly records: number;
}

/** A cloneable copy of a `ConfigurationError` (code `ERR_INGESTION_CONFIG`). */
export interface ConfigErrorSummary {
  readonly code: string;
  /** Every problem, one line each, with its option, environment variable and fix. */
  readonly message: string;
  readonly problems: readonly ConfigProblem[];
}

/**
 * Where the factory runs: inside a transport worker (thread-stream passes pino's options as
 * `workerData.workerData`), and whether that pino sends its config (levels, keys) to it.
 */
export function workerContext(): { worker: boolean; pinoSendsConfig: boolean } {
  const data = workerData as { workerData?: { pinoWillSendConfig?: unknown } } | null;
  const worker = !isMainThread && parentPort !== null && typeof data?.workerData === 'object';
  return { worker, pinoSendsConfig: worker && data?.workerData?.pinoWillSendConfig === true };
}

/** Emits `name` on the main thread's transport stream. Never throws. */
export function postEvent(name: string, ...args: unknown[]): void {
  try {
    parentPort?.postMessage({ code: 'EVENT', name, args });
  } catch {
    // A value that cannot be cloned is not worth losing the worker over.
  }
}

/**
 * One line on stderr, written now. A worker's `process.stderr` is relayed by the main thread,
 * which is blocked (or gone) while pino waits for the worker at exit: write to the file
 * descriptor directly. Never throws.
 */
export function writeStderr(line: string): void {
  try {
    writeSync(2, `${line}\n`);
  } catch {
    // stderr closed: the events are all that is left.
  }
}

export function summarizeConfigError(error: ConfigurationError): ConfigErrorSummary {
  return { code: error.code, message: error.message, problems: error.problems };
}

export function summarize(failure: DeliveryFailure): FailureSummary {
  const e = failure.error;
  return {
    code: e.code,
    message: e.message,
    ...(typeof e.status === 'number' && { status: e.status }),
    records: failure.records.length,
  };
}

/**
 * Resolves with the config pino posts to its worker (`PINO_CONFIG`: levels, message and error
 * keys), which pino sends as it creates the logger, before any line (as pino-abstract-transport
 * waits for it with `expectPinoConfig`).
 */
export function receivePinoConfig(): Promise<PinoConfig> {
  return new Promise((resolve) => {
    const port = parentPort;
    if (port === null) return resolve({});
    const onMessage = (msg: { code?: string; config?: PinoConfig } | null) => {
      if (msg?.code !== 'PINO_CONFIG') return;
      port.off('message', onMessage);
      resolve(msg.config ?? {});
    };
    port.on('message', onMessage);
  });
}
