/**
 * Fail fast at start-up, in worker mode. pino's worker resolves the options in its own thread,
 * where a ConfigurationError cannot reach the application (the worker then discards the lines,
 * see unconfigured.ts). This runs the same resolution in the calling thread first, with the
 * same environment, and only then starts the worker.
 *
 * pino is an optional peer dependency (the CLI runs without it), so it is loaded here, when the
 * helper is called, with `require` relative to this file: the application's pino, in the ESM and
 * the CommonJS build alike (the CommonJS build gets `import.meta.url` from tsdown's shims).
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { resolveConfig } from 'azure-ingestion-core/adapter';
import type { PinoTransportOptions } from './options.js';
import { transportOptions } from './transport.js';

/** The stream `pino.transport()` returns (thread-stream's), as far as this package describes it. */
export interface WorkerTransport extends EventEmitter {
  /** pino writes its lines here. */
  write(data: string): boolean;
  /** `logger.flush(cb)` lands here: calls back once the lines written before are delivered. */
  flush(callback?: (error?: Error | null) => void): void;
  end(): void;
}

interface PinoModule {
  transport(options: { target: string; options: unknown }): WorkerTransport;
}

/**
 * `pino.transport({ target: 'pino-azure-ingestion', options })`, after checking the options
 * (and the `AZURE_LOGS_INGESTION_*` variables) here, synchronously, as the worker will:
 *
 * ```js
 * const logger = pino(azureIngestionTransport({ streamName: 'Custom-AppLogs' })); // throws now
 * ```
 * @throws ConfigurationError listing every problem, as the in-process factory would
 */
export function azureIngestionTransport(options: PinoTransportOptions = {}): WorkerTransport {
  const { core } = transportOptions(options, true);
  resolveConfig(core, process.env);
  const pino = createRequire(import.meta.url)('pino') as PinoModule;
  return pino.transport({ target: 'pino-azure-ingestion', options });
}
