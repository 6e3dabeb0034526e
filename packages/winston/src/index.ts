/**
 * winston-transport-azure-ingestion: a winston transport for the Azure Monitor Logs Ingestion API.
 * The public surface is listed here explicitly.
 */

export type {
  CallbackFlushTarget,
  DefaultColumn,
  DeliveryFailure,
  FlushHookRegistration,
  FlushOptions,
  FlushTarget,
  FunctionsAppLike,
  IngestionStats,
  LevelSet,
  PromiseFlushTarget,
  ServerlessHandler,
  TokenCredential,
} from 'azure-ingestion-core';
// Serverless helpers, re-exported so users need not depend on the core directly.
export {
  azureFunctionsFlushHook,
  ConfigurationError,
  ErrorCodes,
  flushAll,
  IngestionError,
  withFlush,
} from 'azure-ingestion-core';
export type { AzureIngestionTransportOptions, WinstonInfo } from './options.js';
export { AzureIngestionTransport } from './transport.js';
