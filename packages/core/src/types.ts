/**
 * Public types of the core. This file is the contract between the core's modules and the two
 * adapters: option names, their environment variables and defaults are declared here once.
 */
import type { FieldColumn, FieldColumnsOption } from './config/field-columns.js';
import type { IngestionError } from './errors.js';

/** The subset of `@azure/core-auth`'s `TokenCredential` the core uses (any @azure/identity credential fits). */
export interface TokenCredential {
  getToken(
    scopes: string | string[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<AccessToken | null>;
}

/** A bearer token and its expiry, as `@azure/core-auth` returns it. */
export interface AccessToken {
  readonly token: string;
  /** Epoch milliseconds. */
  readonly expiresOnTimestamp: number;
  /** Epoch milliseconds after which the credential recommends a refresh. */
  readonly refreshAfterTimestamp?: number;
}

/** What happens to new records when the byte budget (`maxBufferBytes`) is full. */
export type OverflowPolicy = 'drop-oldest' | 'drop-newest';

/** Names of the columns of the default record (see {@link LogEntry}). */
export type DefaultColumn =
  | 'TimeGenerated'
  | 'Level'
  | 'SeverityNumber'
  | 'Message'
  | 'Exception'
  | 'TraceId'
  | 'SpanId'
  | 'Host'
  | 'Properties'
  | 'RecordId';

/**
 * Options of the ingestion client. Every option except the callbacks and the credential can also
 * come from an environment variable (named beside it); an explicit option wins over the variable.
 * All options are plain data except `credential`, `onError` and `warn`, so adapters that run in a
 * worker thread (pino) can pass the rest across.
 */
export interface IngestionOptions {
  /**
   * The whole stream URL, `https://<endpoint>/dataCollectionRules/<dcr-…>/streams/<Custom-…>`
   * (an `?api-version=` query is allowed). Replaces `endpoint`, `ruleId` and `streamName`.
   * An explicit `endpoint`/`ruleId`/`streamName` overrides the matching part of a URL from the
   * environment; given at the same level (both explicit, or both from the environment) they
   * must agree. Several URLs (an array, or separated by commas), at most 16: requests are spread
   * over those rules (sharding, see README "Sizing a fleet"). Env: `AZURE_LOGS_INGESTION_URL`.
   */
  readonly url?: string | readonly string[] | undefined;
  /**
   * The logs-ingestion endpoint: a data collection endpoint (DCE) or a Direct DCR's own
   * `properties.endpoints.logsIngestion`. `https://` is required; `http://` only for loopback
   * hosts (the local emulator). Env: `AZURE_LOGS_INGESTION_ENDPOINT`.
   */
  readonly endpoint?: string | undefined;
  /**
   * The DCR immutable id, `dcr-` + 32 hex characters. Several ids (an array, or separated by
   * commas), at most 16, of rules with the same stream on the same endpoint: requests are
   * spread over them (sharding, see README "Sizing a fleet"). Env: `AZURE_LOGS_INGESTION_RULE_ID`.
   */
  readonly ruleId?: string | readonly string[] | undefined;
  /** The DCR input stream, e.g. `Custom-AppLogs`. Env: `AZURE_LOGS_INGESTION_STREAM`. */
  readonly streamName?: string | undefined;
  /**
   * The token audience. Sovereign clouds: `https://monitor.azure.us` (US Government),
   * `https://monitor.azure.cn` (China). Env: `AZURE_LOGS_INGESTION_AUDIENCE`.
   * @default 'https://monitor.azure.com'
   */
  readonly audience?: string | undefined;
  /** Env: `AZURE_LOGS_INGESTION_API_VERSION`. @default '2023-01-01' */
  readonly apiVersion?: string | undefined;
  /**
   * Any `@azure/identity` credential (an object with `getToken()`). Without it (and without
   * `token`): `DefaultAzureCredential` when `@azure/identity` is installed (imported lazily at
   * the first send), else the built-in credential the environment selects (managed identity,
   * workload identity, a client secret or IMDS); when none applies, construction fails.
   * Not readable from the environment.
   * @default DefaultAzureCredential, or the built-in credential
   */
  readonly credential?: TokenCredential | undefined;
  /**
   * A static bearer token, for local use (the emulator) only. Never printed.
   * Env: `AZURE_LOGS_INGESTION_TOKEN`.
   */
  readonly token?: string | undefined;
  /**
   * Upper bound of one request's uncompressed JSON body in bytes (brackets and commas counted).
   * Range 1,024 … 1,048,576. Env: `AZURE_LOGS_INGESTION_MAX_BATCH_BYTES`.
   * @default 1048576
   */
  readonly maxBatchBytes?: number | undefined;
  /** Close a batch at this many records; 0 means no count limit. Range 0 … 1,000,000. Env: `AZURE_LOGS_INGESTION_MAX_BATCH_RECORDS`. @default 0 */
  readonly maxBatchRecords?: number | undefined;
  /** Send a partly filled batch after this many ms. Range 10 … 600,000. Env: `AZURE_LOGS_INGESTION_FLUSH_INTERVAL_MS`. @default 2000 */
  readonly flushIntervalMs?: number | undefined;
  /** Requests in flight at once. Range 1 … 64. Env: `AZURE_LOGS_INGESTION_MAX_CONCURRENCY`. @default 4 */
  readonly maxConcurrency?: number | undefined;
  /**
   * An optional cap on the retries of one batch after its first attempt. Unset, retries are
   * bounded by time (`maxRetryTimeMs`) and memory (`maxBufferBytes`), not by a count.
   * Range 0 … 1,000. Env: `AZURE_LOGS_INGESTION_MAX_RETRIES`. @default undefined (no count limit)
   */
  readonly maxRetries?: number | undefined;
  /**
   * How long a batch keeps being retried after its first failed attempt (network errors,
   * timeouts, 408, 429, 5xx, credential failures) before it is given up with
   * `ERR_INGESTION_RETRIES_EXHAUSTED`. An outage shorter than this loses nothing while the
   * byte budget holds. `0` never retries. Range 0 … 604,800,000 (7 days).
   * Env: `AZURE_LOGS_INGESTION_MAX_RETRY_TIME_MS`.
   * @default 600000 (10 minutes); 86400000 (24 hours) when `spoolDir` is set
   */
  readonly maxRetryTimeMs?: number | undefined;
  /** First backoff delay (doubles per attempt, full jitter). Range 0 … 600,000, at most `retryMaxMs`. Env: `AZURE_LOGS_INGESTION_RETRY_BASE_MS`. @default 500 */
  readonly retryBaseMs?: number | undefined;
  /** Cap of the backoff delay and of an honoured `Retry-After`. Range 0 … 3,600,000. Env: `AZURE_LOGS_INGESTION_RETRY_MAX_MS`. @default 30000 */
  readonly retryMaxMs?: number | undefined;
  /** Timeout of one HTTP request, headers and body. Range 1 … 600,000. Env: `AZURE_LOGS_INGESTION_REQUEST_TIMEOUT_MS`. @default 30000 */
  readonly requestTimeoutMs?: number | undefined;
  /**
   * Timeout of one `getToken()` call of the credential. A credential that does not answer in
   * time is a transient failure (retried, warned with the credential's name).
   * Range 1 … 600,000. Env: `AZURE_LOGS_INGESTION_TOKEN_TIMEOUT_MS`. @default 30000
   */
  readonly tokenTimeoutMs?: number | undefined;
  /**
   * Upper bound of `close()` and of the drain at `beforeExit`: then requests in flight are
   * aborted and records still undelivered are reported as failed (`ERR_INGESTION_CLOSED`). Range 0 … 600,000. Env: `AZURE_LOGS_INGESTION_CLOSE_TIMEOUT_MS`. @default 8000
   */
  readonly closeTimeoutMs?: number | undefined;
  /**
   * One byte budget for queued, in-flight and retrying records (serialized size). Records are
   * kept as UTF-8 in per-request Buffers that grow by doubling, so memory in use stays within
   * about twice this budget in the worst case (many small, timer-closed batches).
   * Range 1,024 … 4,294,967,296. Env: `AZURE_LOGS_INGESTION_MAX_BUFFER_BYTES`. @default 67108864 (64 MiB)
   */
  readonly maxBufferBytes?: number | undefined;
  /** What to drop when the budget is full. Env: `AZURE_LOGS_INGESTION_OVERFLOW`. @default 'drop-oldest' */
  readonly overflow?: OverflowPolicy | undefined;
  /** gzip level 1 … 9 (0 sends uncompressed). Env: `AZURE_LOGS_INGESTION_GZIP_LEVEL`. @default 1 */
  readonly gzipLevel?: number | undefined;
  /** Nesting depth after which values are replaced by a marker. Range 1 … 100. Env: `AZURE_LOGS_INGESTION_MAX_DEPTH`. @default 10 */
  readonly maxDepth?: number | undefined;
  /**
   * Add a column holding a random UUID per record, so duplicates a retry after a lost 204 can
   * cause are removable in KQL. `true` names it `RecordId`. Env: `AZURE_LOGS_INGESTION_RECORD_ID`
   * (`true`, `false` or a column name). @default false
   */
  readonly recordId?: boolean | string | undefined;
  /**
   * Rate-limited one-line warnings about drops, rejections and failures on stderr.
   * `false` silences them (counters and `onError` still work). Env: `AZURE_LOGS_INGESTION_WARNINGS`
   * (`true`/`false`). @default true
   */
  readonly warnings?: boolean | undefined;
  /** At most one warning per this many ms (others are counted into the next). Range 0 … 86,400,000. Env: `AZURE_LOGS_INGESTION_WARNING_INTERVAL_MS`. @default 30000 */
  readonly warningIntervalMs?: number | undefined;
  /**
   * Opt-in durable spool: a folder where records are written (per request body, atomically)
   * within one flush interval of being accepted, and deleted once acknowledged. They survive an
   * outage longer than `maxBufferBytes` lasts, a crash, a SIGKILL (all but the last flush
   * interval) and a restart: the next client with the same `spoolDir` and destination (rule and
   * stream) sends them first, oldest first. Each client uses a subfolder of its own, locked by
   * its process; subfolders of dead processes are adopted. Created if missing; a local disk,
   * not a network share. Unset: memory only. Env: `AZURE_LOGS_INGESTION_SPOOL_DIR`.
   * @default undefined (no spool)
   */
  readonly spoolDir?: string | undefined;
  /**
   * Upper bound of the spool's files in bytes (per destination). When a request body does not
   * fit, `overflow` decides as for memory: `drop-oldest` deletes the oldest files not in memory
   * (their records counted `dropped`), `drop-newest` keeps the new body in memory only.
   * Range 65,536 … 1,099,511,627,776 (1 TiB). Env: `AZURE_LOGS_INGESTION_SPOOL_MAX_BYTES`.
   * @default 1073741824 (1 GiB)
   */
  readonly spoolMaxBytes?: number | undefined;
  /**
   * Fields of the log that become columns of their own instead of staying in Properties, for a
   * stream (and table) with its own columns: column name → dotted path into the log's fields,
   * with an optional type the values are converted to. A value found at the path leaves
   * Properties; an absent (or null) one gives no column; one that cannot be converted to the
   * type stays in Properties. Keys containing a dot: `\.` (`url\.path`), or the path as an
   * array of keys in the object form. Applies to the adapters' default record (winston, pino,
   * `azure-ingestion send --map`), not to records given to `push()`. Column names follow the
   * service's rules and cannot be a default column's.
   * Env: `AZURE_LOGS_INGESTION_FIELD_COLUMNS`, e.g. `UserId=user.id,DurationMs:real=responseTime`.
   * @example { UserId: 'user.id', DurationMs: { path: 'responseTime', type: 'real' } }
   */
  readonly fieldColumns?: FieldColumnsOption | undefined;
  /**
   * The schema pre-flight (opt-in): a file holding the data collection rule, as Azure exports it
   * (`az monitor data-collection rule show`, the portal's JSON view), or an ARM template with the
   * rule in `resources[]` (such as `templates/azuredeploy.json`). Each record is then checked
   * against the stream's declared columns before it is sent, and a warning says, once per
   * column, what the service would drop (undeclared) or null (wrong type), where the column
   * comes from, and the fix. Read once at construction. Costs a parse of each record.
   * Env: `AZURE_LOGS_INGESTION_DCR_FILE`.
   */
  readonly dcrFile?: string | undefined;
  /** Replaces stderr as the warning sink. */
  readonly warn?: ((line: string) => void) | undefined;
  /**
   * Product token(s) put before the core's own in the `User-Agent` header, e.g.
   * `my-app/1.2.0`; the adapters add theirs. Env: `AZURE_LOGS_INGESTION_USER_AGENT`.
   */
  readonly userAgent?: string | undefined;
  /** The dead-letter hook: receives every permanently failed or dropped set of records. Must not throw (if it does, the error is counted and ignored). */
  readonly onError?: ((failure: DeliveryFailure) => void) | undefined;
}

/** One rule the client sends to (see `IngestionOptions.ruleId` and `url`). */
export interface ResolvedShard {
  /** The full request URL: `<endpoint>/dataCollectionRules/<ruleId>/streams/<streamName>?api-version=<apiVersion>`. */
  readonly url: string;
  /** Normalised: lower-case host, no default port, no trailing slash. */
  readonly endpoint: string;
  readonly ruleId: string;
  readonly streamName: string;
  readonly apiVersion: string;
}

/** The resolved, validated configuration (no secrets). */
export interface ResolvedConfig {
  /** The full request URL (of the first shard when there are several): `<endpoint>/dataCollectionRules/<ruleId>/streams/<streamName>?api-version=<apiVersion>`. */
  readonly url: string;
  /** Normalised: lower-case host, no default port, no trailing slash (the first shard's). */
  readonly endpoint: string;
  /** The first shard's. */
  readonly ruleId: string;
  /** The first shard's. */
  readonly streamName: string;
  /** Every rule the requests are spread over: one unless several were listed. */
  readonly shards: readonly ResolvedShard[];
  readonly audience: string;
  readonly scope: string;
  readonly apiVersion: string;
  /**
   * Where tokens come from: the `credential` option, a static `token`, `DefaultAzureCredential`
   * (@azure/identity installed) or the built-in credential the environment selects.
   */
  readonly auth: 'credential' | 'token' | 'default-credential' | 'built-in';
  readonly maxBatchBytes: number;
  readonly maxBatchRecords: number;
  readonly flushIntervalMs: number;
  readonly maxConcurrency: number;
  /** Undefined: no count limit. */
  readonly maxRetries: number | undefined;
  readonly maxRetryTimeMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly requestTimeoutMs: number;
  readonly tokenTimeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly maxBufferBytes: number;
  readonly overflow: OverflowPolicy;
  readonly gzipLevel: number;
  readonly maxDepth: number;
  readonly recordIdColumn: string | undefined;
  /** `fieldColumns`, parsed; undefined when not set. */
  readonly fieldColumns: readonly FieldColumn[] | undefined;
  /** The DCR file of the schema pre-flight; undefined when not set. */
  readonly dcrFile: string | undefined;
  readonly warnings: boolean;
  readonly warningIntervalMs: number;
  readonly userAgent: string | undefined;
  /** The spool folder as an absolute path, or undefined (no spool). */
  readonly spoolDir: string | undefined;
  readonly spoolMaxBytes: number;
}

/** Given to `onError`: records that will never be delivered, and why. */
export interface DeliveryFailure {
  /** Why: its `code` (an `ErrorCodes` value), and the status, service error code, request ids and hint when known. */
  readonly error: IngestionError;
  /** The records exactly as they were serialized (JSON object text). */
  readonly records: readonly string[];
}

/**
 * Counters. All are cumulative since construction except `bufferedBytes`, `inFlight`,
 * `spooled` and `spoolBytes`.
 */
export interface IngestionStats {
  /**
   * Records given to push()/pushJson(), including those refused at once (invalid, too large,
   * dropped, pushed after close), plus those `replayed` from the spool. Always
   * `accepted = delivered + rejected + dropped + pending`; once closed (or destroyed, or at
   * exit) nothing is pending but what the spool keeps: `accepted = delivered + rejected +
   * dropped + spooled`.
   */
  readonly accepted: number;
  /** Records acknowledged by a 204. */
  readonly delivered: number;
  /** Records refused: unserializable, too large for any request, or answered with a permanent error. */
  readonly rejected: number;
  /** Records dropped by the overflow policy or left undelivered when close() timed out. */
  readonly dropped: number;
  /** Retried requests. */
  readonly retried: number;
  /** Requests by HTTP status; network errors under `'network'`, timeouts under `'timeout'`. */
  readonly requests: Readonly<Record<string, number>>;
  readonly bytesRaw: number;
  readonly bytesGzipped: number;
  /** Serialized bytes currently queued, in flight or waiting to retry. */
  readonly bufferedBytes: number;
  /** Requests currently in flight. */
  readonly inFlight: number;
  /** Errors thrown by the `onError` hook (caught and ignored). */
  readonly hookErrors: number;
  /**
   * Records in spool files now, waiting to be delivered (some may also be in memory, being
   * sent). Left there at close or exit, they are sent by the next client with the same
   * `spoolDir`. 0 without a spool.
   */
  readonly spooled: number;
  /** Bytes of the spool files now (see `spoolMaxBytes`). */
  readonly spoolBytes: number;
  /**
   * Records found in the spool from an earlier process (or a dead one sharing the folder) and
   * taken over by this client; they count in `accepted` too.
   */
  readonly replayed: number;
}

/**
 * A log event in logger-neutral form; the adapters build it and the core turns it into the
 * default record. Column meanings:
 * - `TimeGenerated`: ISO 8601 UTC of `time` (the log's own time);
 * - `Level`: the logger's label; `SeverityNumber`: OpenTelemetry scale (trace 1, debug 5,
 *   info 9, warn 13, error 17, fatal 21);
 * - `Message`: always a string;
 * - `Exception`: `{ type, message, stack, cause?, errors?, ...own props }` when the log carries an error;
 * - `TraceId`, `SpanId`: when present; `Host`: host name;
 * - `Properties`: every other field (dynamic).
 */
export interface LogEntry {
  /**
   * The log's own time: a Date, epoch milliseconds (numbers below 1e11 are taken as epoch
   * seconds, e.g. pino's `unixTime`), or a date string. An unreadable time becomes "now" and
   * the original is kept in `Properties.time`.
   */
  readonly time: Date | number | string;
  readonly level: string;
  readonly severityNumber: number;
  readonly message: unknown;
  readonly error?: unknown;
  readonly traceId?: string | undefined;
  readonly spanId?: string | undefined;
  readonly host?: string | undefined;
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** Options of the default record shape, shared by both adapters. */
export interface RecordShapeOptions {
  /** Rename default columns, e.g. `{ Message: 'Msg' }`. A column renamed to `null` is left out. */
  readonly columns?: Readonly<Partial<Record<DefaultColumn, string | null>>>;
}
