/**
 * Public types of the emulator: its options, its handle, faults and the records it keeps.
 */
import type { EmulatorIdentity } from './auth/identity-env.js';

/** Options of {@link startEmulator}. All optional. */
export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /**
   * Host names requests may use in their `Host` header besides IP addresses, `localhost`
   * (`*.localhost`), the machine's name and `host`: any other is refused with 403
   * `HostNotAllowed`, a guard against DNS rebinding (a web page whose name resolves to this
   * machine). @default []
   */
  readonly allowedHosts?: ReadonlyArray<string>;
  /**
   * Data collection rules to serve: ARM JSON objects (as Azure exports them) or paths of such
   * files. A file may also hold an ARM template (`resources[]`) or a list of rules.
   * @default [DEFAULT_DCR]
   */
  readonly dcrs?: ReadonlyArray<object | string>;
  /** Append accepted rows to `<dataDir>/<table>.jsonl` and reload them at start. */
  readonly dataDir?: string;
  /** Serve https with a self-signed certificate generated at start (see `caCertPem`). @default false */
  readonly https?: boolean;
  /**
   * Per-rule limits, as Azure applies them, counted in fixed windows of `windowMs` that allow
   * the per-minute figures scaled to their length: `{ requestsPerMinute: 120, windowMs: 5000 }`
   * allows 10 requests per 5 s (a fleet simulation scaled down from 12,000 per minute).
   * @default { requestsPerMinute: 12000, bytesPerMinute: 2 GiB, windowMs: 60000 }
   */
  readonly rateLimits?: {
    readonly requestsPerMinute?: number;
    readonly bytesPerMinute?: number;
    /** Length of a window in ms, at least 100. @default 60000 */
    readonly windowMs?: number;
  };
  /** Rule ids (immutable ids) whose caller "has no role": every POST gets 403 `OperationFailed`. */
  readonly forbiddenRules?: ReadonlyArray<string>;
  /** Lifetime of the tokens the emulator issues, in seconds. @default 3600 */
  readonly tokenLifetimeSec?: number;
  /**
   * HS256 secret of the tokens. Default: random per process. Set the same value in several
   * processes (e.g. CI jobs) so that tokens of one are accepted by another.
   */
  readonly tokenSecret?: string;
  /** The clock (epoch ms) of the TimeGenerated window, rate-limit windows and token expiry. @default Date.now */
  readonly now?: () => number;
  /** A request (headers and body) must complete within this many ms, or the socket is closed. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Latency added to every ingestion POST, before any fault, in ms. @default 0 */
  readonly latencyMs?: number;
  /**
   * Rows kept in memory per table; the oldest are evicted beyond it, a batch at a time. A row
   * stored unchanged is kept as its JSON text (~450 bytes for the default record), one with
   * converted values as objects (~1 KB), so the default bounds a table near 50–100 MB.
   * Evicted rows still count for `waitForRows` and in the counters, and stay in `dataDir` files.
   * @default 100000
   */
  readonly maxRowsPerTable?: number;
  /**
   * Destination tables the DCRs' output is checked against, as Azure checks it when a DCR is
   * created: ARM templates (their `Microsoft.OperationalInsights/workspaces/tables` resources),
   * one table resource, or a table as `az monitor log-analytics workspace table show` prints it,
   * as objects or file paths. The table resources of ARM templates given in `dcrs` are read too.
   * A table without a definition is inferred from the transform output (nothing checked, a
   * warning says so).
   * @default the AppLogs_CL table of the default DCR when `dcrs` is not given, else []
   */
  readonly tables?: ReadonlyArray<object | string>;
  /**
   * Apply the size limit as observed in the field rather than as documented: the body on the
   * wire must be under 1 MB, the inflated body under 50 MB (open-telemetry/otel-arrow PR #2535).
   * Off: 1 MB compressed and uncompressed, as the service limits page states.
   * @default false
   */
  readonly lenientSize?: boolean;
  /**
   * The cloud played: tokens are accepted only for its audience (`https://monitor.azure.com`,
   * `.us` for `usgov`, `.cn` for `china`); `token()` issues them by default.
   * @default 'public'
   */
  readonly cloud?: 'public' | 'usgov' | 'china';
}

/** A destination table: given (its columns checked against each DCR's output) or inferred. */
export interface TableInfo {
  readonly name: string;
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string }>;
  /** Where the definition came from (file and field), or `inferred` when none was given. */
  readonly source: string;
}

/** How the service is down (see {@link Emulator.down}). */
export type DownMode = 'refuse' | 'reset' | 'hang';

/** A scripted or random fault applied to one POST. */
export type Fault =
  | StatusFault
  | { readonly reset: true }
  /**
   * Close the connection without an answer: after reading half of the body (`'mid-request'`)
   * or all of it (`'after-body'`); nothing is stored either way.
   */
  | { readonly hangUp: 'mid-request' | 'after-body' }
  /**
   * Process the request (rows stored) and close the connection instead of answering: the
   * answer lost on the way, after which a client's retry stores the records again (the service
   * has no idempotency key). The request log keeps the status the emulator decided.
   */
  | { readonly dropAnswer: true }
  | { readonly latencyMs: number; readonly then?: Fault }
  | { readonly slowReadBytesPerSec: number };

/** Answer with this status instead of processing the request (the body is read and discarded). */
export interface StatusFault {
  readonly status: number;
  /** `Retry-After` header value (seconds or an HTTP date). */
  readonly retryAfter?: string;
  /** Service error code for the JSON body and `x-ms-error-code`. */
  readonly errorCode?: string;
  /** A raw body instead of the JSON error (e.g. an HTML 400). */
  readonly body?: string;
  /** Content type of `body`. @default 'application/json' (or 'text/html' when body starts with '<') */
  readonly contentType?: string;
}

/** Counters mirroring the DCR metrics. */
export interface EmulatorCounters {
  requestsByStatus: Record<string, number>;
  rowsReceived: number;
  rowsIngested: number;
  rowsDropped: number;
  columnsDropped: number;
  /** Columns a transform output that the destination table lacks, dropped from the rows. */
  tableColumnsDropped: number;
  typeErrors: number;
  valuesTruncated: number;
  timeGeneratedReplaced: number;
  bytesReceived: number;
  bytesDecoded: number;
  warnings: string[];
  tokensIssued: number;
  /**
   * The same losses per stream and by name, keyed `<ruleId>/<stream>` (every stream served has
   * an entry from the start). Lists by name keep 100 names; others count under `(other names)`.
   */
  byStream: Record<string, StreamCounters>;
}

/** Why rows or columns of one stream went missing (all answered 204, as Azure does). */
export interface StreamCounters {
  readonly ruleId: string;
  readonly stream: string;
  rowsReceived: number;
  rowsIngested: number;
  /** Records no data flow kept (its transform filtered them away), or that were not objects. */
  rowsDropped: number;
  /** Properties the stream does not declare, dropped: count by property name. */
  columnsDropped: Record<string, number>;
  /** Values that did not convert to their column's type, stored as null: count by column. */
  valuesNulled: Record<string, number>;
  /** Values over 64 KB, cut: count by column. */
  valuesTruncated: Record<string, number>;
  /** Transform output columns the destination table lacks, dropped: count by column. */
  tableColumnsDropped: Record<string, number>;
  /** TimeGenerated values outside [-2 days, +1 day] of receipt, replaced by the receive time. */
  timeGeneratedReplaced: number;
}

/** One POST as the emulator saw it. */
export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly status: number;
  readonly errorCode?: string;
  readonly wireBytes: number;
  readonly decodedBytes: number;
  readonly records: number;
  /** Properties the stream does not declare, dropped (when the body was ingested). */
  readonly columnsDropped?: number;
  /** Transform output columns the destination table lacks, dropped (when the body was ingested). */
  readonly tableColumnsDropped?: number;
  readonly clientRequestId?: string;
  readonly receivedAt: string;
  /** What happened instead of an answer: 'reset', 'hang-up', 'aborted' (client went away). */
  readonly outcome?: string;
  /** The rule id and stream of the URL. */
  readonly ruleId?: string;
  readonly stream?: string;
  /** From the request's arrival to its answer (or its end), in ms of real time. */
  readonly durationMs?: number;
  /** The injected fault that shaped this request (`503`, `reset`, `latency 200 ms`…), if any. */
  readonly fault?: string;
}

/** A rule as served: its immutable id and input streams with their output tables. */
export interface RuleInfo {
  readonly ruleId: string;
  readonly streams: ReadonlyArray<{ readonly name: string; readonly outputTable: string }>;
}

/** Options of {@link Emulator.rows}. */
export interface RowQuery {
  /** Rows received at or after this time. */
  readonly since?: Date | number;
  /** Rows received before this time. */
  readonly until?: Date | number;
  /** At most this many rows (the oldest first). */
  readonly limit?: number;
}

/** The running emulator. */
export interface Emulator {
  /** Base URL, e.g. `http://127.0.0.1:43121` (`https://…` with the `https` option). */
  readonly endpoint: string;
  /** Rules served: immutable id, input streams and the table each writes to. */
  readonly rules: ReadonlyArray<RuleInfo>;
  /** Destination tables: given (checked) or inferred from a transform's output. */
  readonly tables: ReadonlyArray<TableInfo>;
  /** PEM of the self-signed certificate (with `https`): trust it via NODE_EXTRA_CA_CERTS or `ca`. */
  readonly caCertPem?: string;
  /** `${endpoint}/dataCollectionRules/${ruleId}/streams/${stream}` (no query); defaults: first rule, its first stream. */
  streamUrl(stream?: string, ruleId?: string): string;
  /** A JWT this emulator accepts (audience default: the `cloud`'s, `https://monitor.azure.com`; lifetime `tokenLifetimeSec`). */
  token(opts?: { audience?: string; lifetimeSec?: number }): string;
  /**
   * The environment a transport needs: AZURE_LOGS_INGESTION_ENDPOINT, _RULE_ID, _STREAM and the
   * variables of one way to authenticate (`identity`, default `'token'`):
   * - `'token'`: AZURE_LOGS_INGESTION_TOKEN (fresh);
   * - `'app-service'`: IDENTITY_ENDPOINT + IDENTITY_HEADER (the managed identity of App Service,
   *   Functions, Container Apps); `managedIdentity: true` is the same;
   * - `'workload'`: AZURE_FEDERATED_TOKEN_FILE (written to a temporary file, removed by stop()),
   *   AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_AUTHORITY_HOST (AKS workload identity);
   * - `'client-secret'`: AZURE_CLIENT_SECRET, AZURE_CLIENT_ID, AZURE_TENANT_ID,
   *   AZURE_AUTHORITY_HOST (a service principal);
   * - `'imds'`: AZURE_LOGS_INGESTION_IMDS_ENDPOINT and AZURE_POD_IDENTITY_AUTHORITY_HOST, the
   *   instance-metadata stand-in (VMs and scale sets).
   */
  env(opts?: {
    stream?: string;
    ruleId?: string;
    identity?: EmulatorIdentity;
    /** The same as `identity: 'app-service'`. */
    managedIdentity?: boolean;
  }): Record<string, string>;
  /** Stored rows of a table (`AppLogs_CL` or `Custom-AppLogs_CL`), oldest first, each with `_TimeReceived`. */
  rows(table: string, opts?: RowQuery): Array<Record<string, unknown>>;
  /** A snapshot of the counters. */
  counters(): EmulatorCounters;
  /** A snapshot of the request log (ingestion POSTs, in order; the last 10,000). */
  requests(): ReadonlyArray<RequestRecord>;
  /** Fault injection for the next POSTs. */
  readonly faults: {
    /** Applied to the next POSTs in order, one per request. */
    enqueue(...faults: Fault[]): void;
    /** When the queue is empty, each POST draws once; rules are tried in order. Deterministic with a seed. */
    random(rules: Array<{ probability: number; fault: Fault }>, seed?: number): void;
    /** Drop queued and random faults. */
    clear(): void;
  };
  /**
   * Resolves once `table` has received at least `count` rows since start or reset (rows evicted
   * beyond `maxRowsPerTable` count); rejects with a clear message at timeout (default 10 s) or stop.
   */
  waitForRows(table: string, count: number, timeoutMs?: number): Promise<void>;
  /**
   * Simulates the service being down until `up()`: `'refuse'` stops listening (connections are
   * refused: ECONNREFUSED), `'reset'` accepts and resets every connection (ECONNRESET), `'hang'`
   * reads each request and never answers (the client's timeout decides). Open connections are
   * closed. Rows, counters and faults are kept. @default 'refuse'
   */
  down(mode?: DownMode): Promise<void>;
  /** Ends `down()`: listening again on the same port (hanging requests are then cut). */
  up(): Promise<void>;
  /** Clear rows in memory, counters, request log, faults and rate-limit windows (files in dataDir stay). */
  reset(): void;
  /** Close the server and every socket. Idempotent: the same promise on repeat calls. */
  stop(): Promise<void>;
}
