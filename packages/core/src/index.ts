/**
 * azure-ingestion-core: the engine shared by the winston and pino transports for the Azure
 * Monitor Logs Ingestion API. The public surface is listed here explicitly.
 */
export { IngestionClient } from './client.js';
export type { RequestEndMessage, RequestStartMessage } from './diagnostics.js';
export { CHANNELS } from './diagnostics.js';
export { serializeError } from './error-shape.js';
export type { ConfigProblem, ErrorCode } from './errors.js';
export { ConfigurationError, ErrorCodes, IngestionError } from './errors.js';
export { isoTime } from './iso-time.js';
export { ENV_VARS, resolveConfig } from './options.js';
export { DEFAULT_COLUMNS, toDefaultRecord } from './record.js';
export type { RecordJsonParts, RecordParts, RecordWriter } from './record-writer.js';
export { createRecordWriter } from './record-writer.js';
export { MAX_FIELD_BYTES, safeStringify } from './serialize.js';
export type {
  CallbackFlushTarget,
  FlushHookRegistration,
  FlushOptions,
  FlushTarget,
  FunctionsAppLike,
  PromiseFlushTarget,
  ServerlessHandler,
} from './serverless.js';
export { azureFunctionsFlushHook, flushAll, withFlush } from './serverless.js';
export type { LevelSet } from './severity.js';
export { LEVEL_SETS, severityNumber } from './severity.js';
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
