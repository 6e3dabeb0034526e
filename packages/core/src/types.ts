/**
 * Public types of the core. This file is the contract between the core's modules and the two
 * adapters: option names, their environment variables and defaults are declared here once.
 */
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
   * Env: `AZURE_LOGS_INGESTION_MAX_RETRY_TIME_MS`. @default 600000 (10 minutes)
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
  readonly warnings: boolean;
  readonly warningIntervalMs: number;
  readonly userAgent: string | undefined;
}

/** Given to `onError`: records that will never be delivered, and why. */
export interface DeliveryFailure {
  /** Why: its `code` (an `ErrorCodes` value), and the status, service error code, request ids and hint when known. */
  readonly error: IngestionError;
  /** The records exactly as they were serialized (JSON object text). */
  readonly records: readonly string[];
}

/** Counters. All are cumulative since construction except `bufferedBytes` and `inFlight`. */
export interface IngestionStats {
  /**
   * Records given to push()/pushJson(), including those refused at once (invalid, too large,
   * dropped, pushed after close). Always `accepted = delivered + rejected + dropped + pending`.
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
