/**
 * Type tests of the published declarations of each package (dist/*.d.mts for ESM, dist/*.d.cts
 * for CommonJS): `<package>.mts` and `<package>.cts` import the package by name, as users do, and
 * `tsc` (the typecheck step of `npm test`, after the build) fails when an assertion does not
 * hold. Never executed.
 */

/** True when A and B are the same type (not merely assignable either way). */
export type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when given `true`. */
export function assert<_T extends true>(): void {}

/** azure-ingestion-core's root entry's values: what users call (its README's "API" lists them). */
export type RootValues =
  | 'IngestionClient'
  | 'ConfigurationError'
  | 'ErrorCodes'
  | 'IngestionError'
  | 'azureFunctionsFlushHook'
  | 'flushAll'
  | 'withFlush'
  | 'MAX_FIELD_BYTES'
  | 'safeStringify'
  | 'serializeError'
  | 'CHANNELS';

/** The `/adapter` entry's values: what transport authors need. */
export type AdapterValues =
  | 'pushJsonUnchecked'
  | 'beforeExitReport'
  | 'columnsProblems'
  | 'ENV_VARS'
  | 'resolveConfig'
  | 'severitiesProblems'
  | 'withProductToken'
  | 'DEFAULT_COLUMNS'
  | 'toDefaultRecord'
  | 'isoTime'
  | 'digitsAt'
  | 'digitsEnd'
  | 'escapedAt'
  | 'PairIndex'
  | 'sameAt'
  | 'scanPairs'
  | 'skipString'
  | 'createRecordWriter'
  | 'LEVEL_SETS'
  | 'severityNumber'
  | 'stripAnsi'
  | 'idStaysInProperties'
  | 'pickId'
  | 'columnNameIssue'
  | 'fieldColumnsClashes'
  | 'formatFieldColumns'
  | 'COLUMN_TYPES'
  | 'coerceTo'
  | 'inferType'
  | 'storedByService'
  | 'DEFAULT_COLUMN_TYPES'
  | 'loadDcrFile'
  | 'pickRule'
  | 'readDcr'
  | 'schemaFindings';

/**
 * The core's user-facing names both adapters re-export, so users need no direct dependency on
 * the core: errors and codes, diagnostics channels, serverless helpers.
 */
export type SharedValues =
  | 'azureFunctionsFlushHook'
  | 'CHANNELS'
  | 'ConfigurationError'
  | 'ErrorCodes'
  | 'flushAll'
  | 'IngestionError'
  | 'withFlush';

/** winston-transport-azure-ingestion's values. */
export type WinstonValues = SharedValues | 'AzureIngestionTransport';

/** pino-azure-ingestion's values (the factory is also the default export). */
export type PinoValues =
  | SharedValues
  | 'default'
  | 'pinoAzureIngestion'
  | 'EVENTS'
  | 'azureIngestionTransport'
  | 'WORKER_CLOSE_TIMEOUT_MS';

/** azure-ingestion-cli's values (the bin is `azure-ingestion`; these are for scripts). */
export type CliValues = 'doctor' | 'proposeSchema' | 'armTemplate' | 'bicepFragment';
