/**
 * pino-azure-ingestion: a pino transport for the Azure Monitor Logs Ingestion API. The default
 * export is the transport factory (worker target and in-process stream); the rest is listed here.
 * The core's serverless helpers are re-exported so that handlers need no direct dependency on
 * azure-ingestion-core: they take a pino logger as a target (`logger.flush(cb)` means delivered).
 */

export type {
  CallbackFlushTarget,
  FlushHookRegistration,
  FlushOptions,
  FlushTarget,
  FunctionsAppLike,
  PromiseFlushTarget,
  ServerlessHandler,
} from 'azure-ingestion-core';
export { azureFunctionsFlushHook, flushAll, withFlush } from 'azure-ingestion-core';
export type { ConfigErrorSummary, FailureSummary } from './bridge.js';
export { EVENTS } from './bridge.js';
export type { WorkerTransport } from './checked-transport.js';
export { azureIngestionTransport } from './checked-transport.js';
export type { LineStats } from './line-counter.js';
export type { InProcessOptions, PinoLineOptions, PinoTransportOptions } from './options.js';
export type { Flushable } from './serverless.js';
export { flushLogger } from './serverless.js';
export type { AzureIngestionStream, TransportStats } from './transport.js';
export { default, default as pinoAzureIngestion, WORKER_CLOSE_TIMEOUT_MS } from './transport.js';
