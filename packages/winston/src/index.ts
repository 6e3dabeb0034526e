/**
 * winston-transport-azure-ingestion: a winston transport for the Azure Monitor Logs Ingestion API.
 * The public surface is listed here explicitly. The core's user-facing names (errors and codes,
 * diagnostics channels, serverless helpers, failure and stats types) are re-exported, the same
 * set as pino-azure-ingestion's, so users need not depend on the core directly.
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
export type { DefaultColumn, LevelSet } from 'azure-ingestion-core/adapter';
export type { AzureIngestionTransportOptions, WinstonInfo } from './options.js';
export { AzureIngestionTransport } from './transport.js';
