/**
 * pino-azure-ingestion: a pino transport for the Azure Monitor Logs Ingestion API. The default
 * export is the transport factory (worker target and in-process stream); the rest is listed here.
 * The core's user-facing names (errors and codes, diagnostics channels, serverless helpers,
 * failure and stats types) are re-exported, the same set as winston-transport-azure-ingestion's,
 * so that handlers need no direct dependency on azure-ingestion-core. The serverless helpers
 * take a pino logger as a target (`logger.flush(cb)` here means delivered).
 */

export type {
  CallbackFlushTarget,
  ConfigProblem,
  DeliveryFailure,
  ErrorCode,
  FlushHookRegistration,
  FlushOptions,
  FlushTarget,
  FunctionsAppLike,
  IngestionStats,
  PromiseFlushTarget,
  RequestEndMessage,
  RequestStartMessage,
  ServerlessHandler,
  TokenCredential,
} from 'azure-ingestion-core';
export {
  azureFunctionsFlushHook,
  CHANNELS,
  ConfigurationError,
  ErrorCodes,
  flushAll,
  IngestionError,
  withFlush,
} from 'azure-ingestion-core';
export type { DefaultColumn } from 'azure-ingestion-core/adapter';
export type { ConfigErrorSummary, FailureSummary } from './bridge.js';
export { EVENTS } from './bridge.js';
export type { WorkerTransport } from './checked-transport.js';
export { azureIngestionTransport } from './checked-transport.js';
export type { LineStats } from './line-counter.js';
export type { InProcessOptions, PinoLineOptions, PinoTransportOptions } from './options.js';
export type { AzureIngestionStream, TransportStats } from './transport.js';
export { default, default as pinoAzureIngestion, WORKER_CLOSE_TIMEOUT_MS } from './transport.js';
