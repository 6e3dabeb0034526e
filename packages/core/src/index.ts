/**
 * azure-ingestion-core: the engine shared by the winston and pino transports for the Azure
 * Monitor Logs Ingestion API. The public surface is listed here explicitly.
 */
export { IngestionClient } from './client.js';
export { ENV_VARS, resolveConfig } from './config/resolve.js';
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
export { DEFAULT_COLUMNS, toDefaultRecord } from './record/default-record.js';
export { isoTime } from './record/iso-time.js';
export type { RecordJsonParts, RecordParts, RecordWriter } from './record/record-writer.js';
export { createRecordWriter } from './record/record-writer.js';
export { MAX_FIELD_BYTES, safeStringify } from './record/serialize.js';
export { serializeError } from './record/serialize-error.js';
export type { LevelSet } from './record/severity.js';
export { LEVEL_SETS, severityNumber } from './record/severity.js';
export type { RequestEndMessage, RequestStartMessage } from './report/diagnostics.js';
export { CHANNELS } from './report/diagnostics.js';
export type {
  AccessToken,
  DefaultColumn,
  DeliveryFailure,
  IngestionOptions,
  IngestionStats,
  LogEntry,
  OverflowPolicy,
  RecordShapeOptions,
  ResolvedConfig,
  TokenCredential,
} from './types.js';
