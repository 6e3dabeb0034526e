/**
 * azure-ingestion-core/adapter: what a transport (winston, pino, your own) needs beyond the
 * user-facing root entry: the default record and its fast JSON writer, the unchecked push for
 * that writer's text, and the mapping rules every adapter shares, so that two adapters map the
 * same log to the same record. For transport authors; see the README's "Adapter API" for its
 * stability promise.
 */
export { beforeExitReport, pushJsonUnchecked } from './client.js';
export { columnNameIssue, columnsProblems, fieldColumnsClashes } from './config/columns.js';
export { formatFieldColumns } from './config/field-columns.js';
export type { EnvOptionKey, ResolvedSettings } from './config/resolve.js';
export { ENV_VARS, resolveConfig } from './config/resolve.js';
export { severitiesProblems } from './config/severities.js';
export { withProductToken } from './config/user-agent.js';
export { COLUMN_TYPES, coerceTo, inferType, storedByService } from './record/column-types.js';
export { DEFAULT_COLUMN_TYPES, DEFAULT_COLUMNS, toDefaultRecord } from './record/default-record.js';
export { isoTime } from './record/iso-time.js';
export {
  digitsAt,
  digitsEnd,
  escapedAt,
  PairIndex,
  sameAt,
  scanPairs,
  skipString,
} from './record/json-scan.js';
export type { RecordJsonParts, RecordParts, RecordWriter } from './record/record-writer.js';
export { createRecordWriter } from './record/record-writer.js';
export type { LevelSet } from './record/severity.js';
export { LEVEL_SETS, severityNumber, stripAnsi } from './record/severity.js';
export { idStaysInProperties, pickId } from './record/trace-ids.js';
export type { DcrRule } from './schema/dcr-file.js';
export { loadDcrFile, pickRule, readDcr } from './schema/dcr-file.js';
export type { SchemaFinding, StreamSchema } from './schema/preflight.js';
export { schemaFindings } from './schema/preflight.js';
export type { DefaultColumn, LogEntry, RecordShapeOptions } from './types.js';
