/**
 * azure-ingestion-core: the engine shared by the winston and pino transports for the Azure
 * Monitor Logs Ingestion API. The public surface is listed here explicitly.
 */
export { IngestionClient } from './client.js';
export { resolveConfig, ENV_VARS } from './options.js';
export { ConfigurationError, IngestionError, ErrorCodes } from './errors.js';
export type { ErrorCode, ConfigProblem } from './errors.js';
export { safeStringify, MAX_FIELD_BYTES } from './serialize.js';
export { serializeError } from './error-shape.js';
export { toDefaultRecord, DEFAULT_COLUMNS } from './record.js';
export { severityNumber, LEVEL_SETS } from './severity.js';
export type { LevelSet } from './severity.js';
export { CHANNELS } from './diagnostics.js';
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
