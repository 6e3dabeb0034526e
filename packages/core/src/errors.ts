/**
 * Errors of the core. Every failure has a stable `code` (never match on messages); delivery
 * failures carry the HTTP status, the service's error code, the request ids, the number of
 * affected records and a hint that says what to check in Azure.
 */

export const ErrorCodes = {
  /** Invalid options (a {@link ConfigurationError}). */
  CONFIG: 'ERR_INGESTION_CONFIG',
  /** 401 even after one forced token refresh. */
  UNAUTHORIZED: 'ERR_INGESTION_UNAUTHORIZED',
  /** 403. */
  FORBIDDEN: 'ERR_INGESTION_FORBIDDEN',
  /** 404. */
  NOT_FOUND: 'ERR_INGESTION_NOT_FOUND',
  /** 400. */
  BAD_REQUEST: 'ERR_INGESTION_BAD_REQUEST',
  /** Any other non-retryable status. */
  HTTP_PERMANENT: 'ERR_INGESTION_HTTP_PERMANENT',
  /** One record cannot fit in a request (found before sending, or a 413 on a one-record batch). */
  RECORD_TOO_LARGE: 'ERR_INGESTION_RECORD_TOO_LARGE',
  /** push() of something that is not an object, or pushJson() text that is not a JSON object. */
  INVALID_RECORD: 'ERR_INGESTION_INVALID_RECORD',
  /** Retryable failures until `maxRetries` was reached. */
  RETRIES_EXHAUSTED: 'ERR_INGESTION_RETRIES_EXHAUSTED',
  /** The credential's getToken threw or returned null. */
  CREDENTIAL: 'ERR_INGESTION_CREDENTIAL',
  /** Dropped by the overflow policy. */
  BUFFER_OVERFLOW: 'ERR_INGESTION_BUFFER_OVERFLOW',
  /** Pushed after close(), or still undelivered when close() timed out or destroy() ran. */
  CLOSED: 'ERR_INGESTION_CLOSED',
  /** A spool file that cannot be read back (torn, corrupt, or of an unknown format): skipped. */
  SPOOL_CORRUPT: 'ERR_INGESTION_SPOOL_CORRUPT',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** One invalid option, as listed by a {@link ConfigurationError}. */
export interface ConfigProblem {
  /** The option's name in `IngestionOptions`. */
  readonly option: string;
  /** The environment variable that can also set it. */
  readonly envVar?: string;
  /** The offending value (secrets are already `'<redacted>'`). */
  readonly value?: unknown;
  /** Where the value came from. */
  readonly source?: 'option' | 'env';
  /** What is wrong, in one sentence. */
  readonly problem: string;
  /** What to do about it, in one sentence. */
  readonly fix: string;
}

export interface IngestionErrorDetails {
  status?: number | undefined;
  serviceCode?: string | undefined;
  requestId?: string | undefined;
  clientRequestId?: string | undefined;
  recordCount?: number | undefined;
  hint?: string | undefined;
  cause?: unknown;
}

/** The base class of every error of the core. */
export class IngestionError extends Error {
  readonly code: ErrorCode;
  /** The HTTP status, when the service answered. */
  declare readonly status?: number;
  /** The service's error code (`x-ms-error-code` header or the JSON body's `error.code`). */
  declare readonly serviceCode?: string;
  /** The service's `x-ms-request-id`. */
  declare readonly requestId?: string;
  /** Our `x-ms-client-request-id` of the failed request. */
  declare readonly clientRequestId?: string;
  /** How many records this failure affects. */
  readonly recordCount: number;
  /** What to check, in Azure or in the options. */
  declare readonly hint?: string;

  constructor(code: ErrorCode, message: string, details: IngestionErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'IngestionError';
    this.code = code;
    this.recordCount = details.recordCount ?? 0;
    // Only defined fields become own properties, so logs of the error stay short.
    const self = this as { -readonly [K in keyof IngestionError]: IngestionError[K] };
    if (details.status !== undefined) self.status = details.status;
    if (details.serviceCode !== undefined) self.serviceCode = details.serviceCode;
    if (details.requestId !== undefined) self.requestId = details.requestId;
    if (details.clientRequestId !== undefined) self.clientRequestId = details.clientRequestId;
    if (details.hint !== undefined) self.hint = details.hint;
  }
}

const VALUE_CLIP = 120;

/** Shows a problem's value in a message: quoted, clipped, never a secret. */
function showValue(p: ConfigProblem): string {
  if (!('value' in p)) return '';
  if (/token/i.test(p.option) || /TOKEN/.test(p.envVar ?? '')) return ' (got <redacted>)';
  let text: string;
  if (typeof p.value === 'string') text = JSON.stringify(p.value);
  else if (typeof p.value === 'function') text = 'a function';
  else {
    try {
      text = JSON.stringify(p.value) ?? String(p.value);
    } catch {
      text = Object.prototype.toString.call(p.value);
    }
  }
  if (text.length > VALUE_CLIP) text = `${text.slice(0, VALUE_CLIP)}…`;
  return ` (got ${text}${p.source === 'env' ? ` from ${p.envVar}` : ''})`;
}

function problemLine(p: ConfigProblem): string {
  const env = p.envVar === undefined ? '' : ` [env ${p.envVar}]`;
  return `  - ${p.option}${env}: ${p.problem}${showValue(p)}. Fix: ${p.fix}`;
}

/** Invalid options: thrown once at construction, listing every problem found. */
export class ConfigurationError extends IngestionError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    const n = problems.length;
    const header = `Invalid Azure Logs Ingestion configuration (${n} problem${n === 1 ? '' : 's'}):`;
    super(ErrorCodes.CONFIG, [header, ...problems.map(problemLine)].join('\n'));
    this.name = 'ConfigurationError';
    this.problems = Object.freeze([...problems]);
  }
}
