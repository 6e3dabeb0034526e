/**
 * azure-ingestion-core: the engine shared by the winston and pino transports for the Azure
 * Monitor Logs Ingestion API. This entry is for users (the client, its types, errors,
 * diagnostics and serverless helpers), every export listed by name; what transport authors
 * need is in `azure-ingestion-core/adapter` (adapter.ts), so an adapter's speed-up never
 * changes this surface.
 */
export { IngestionClient } from './client.js';
export type { FieldColumn, FieldColumnSpec, FieldColumnsOption } from './config/field-columns.js';
export type { ConfigProblem, ErrorCode } from './errors.js';
export { ConfigurationError, ErrorCodes, IngestionError } from './errors.js';
export type {
  CallbackFlushTarget,
  FlushHookRegistration,
  FlushOptions,
  FlushTarget,
  FunctionsAppLike,
  PromiseFlushTarget,
  ServerlessHandler,
} from './lifecycle/serverless.js';
export { azureFunctionsFlushHook, flushAll, withFlush } from './lifecycle/serverless.js';
export type { ColumnType } from './record/column-types.js';
export { MAX_FIELD_BYTES } from './record/field-cap.js';
export { safeStringify } from './record/serialize.js';
export { serializeError } from './record/serialize-error.js';
export type { RequestEndMessage, RequestStartMessage } from './report/diagnostics.js';
export { CHANNELS } from './report/diagnostics.js';
export type {
  AccessToken,
  DeliveryFailure,
  IngestionOptions,
  IngestionStats,
  OverflowPolicy,
  ResolvedConfig,
  ResolvedShard,
  TokenCredential,
} from './types.js';
