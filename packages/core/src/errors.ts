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

/** What to check for a failed request, by HTTP status (and the service's error code). */
export function hintFor(status: number | undefined, serviceCode?: string): string | undefined {
  switch (status) {
    case 401:
      return serviceCode === 'InvalidAudience'
        ? 'the token was issued for another audience: the scope must be <audience>/.default, e.g. https://monitor.azure.com/.default (sovereign clouds: https://monitor.azure.us, https://monitor.azure.cn); set the audience option'
        : 'the token was rejected: check its audience (scope <audience>/.default, sovereign clouds use monitor.azure.us / monitor.azure.cn) and that it has not expired';
    case 403:
      return 'the identity needs the "Monitoring Metrics Publisher" role on the data collection rule; a new role assignment can take up to 30 minutes to apply';
    case 404:
      return 'check the ruleId (the DCR immutable id "dcr-…" from its JSON view, not its name), that the endpoint is in the DCR\'s region (or is the DCR\'s own logs-ingestion endpoint), and the stream name declared in the DCR';
    case 413:
      return 'the request body was over 1,048,576 bytes: a record is too large, shrink it or lower maxBatchBytes';
    case 400:
      return 'the body did not match the stream: check column names (case-sensitive) and types in the DCR stream declaration; the body must be a JSON array of objects';
    case 429:
      return 'the data collection rule is throttled (per-DCR limits: 12,000 requests/min and 2 GB/min); lower the send rate or use several DCRs';
    default:
      return undefined;
  }
}

const MESSAGE_CLIP = 300;

function clip(text: string): string | undefined {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t === '') return undefined;
  return t.length > MESSAGE_CLIP ? `${t.slice(0, MESSAGE_CLIP)}…` : t;
}

function header(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue;
    const v = headers[key];
    const s = Array.isArray(v) ? v[0] : v;
    if (typeof s === 'string' && s.trim() !== '') return s.trim();
  }
  return undefined;
}

/** `{"error":{"code","message"}}` (or a bare `{"code","message"}`); not JSON → undefined. */
function fromJson(body: string): { code?: string; message?: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return {};
  const p = parsed as { error?: unknown; code?: unknown; message?: unknown };
  const e = (p.error !== null && typeof p.error === 'object' ? p.error : p) as {
    code?: unknown;
    message?: unknown;
  };
  const out: { code?: string; message?: string } = {};
  if (typeof e.code === 'string' && e.code !== '') out.code = e.code;
  if (typeof e.message === 'string') out.message = e.message;
  else if (typeof p.error === 'string') out.message = p.error;
  return out;
}

/** Visible text of an HTML page (title and body text, tags, scripts and styles removed). */
function htmlText(body: string): string {
  return body
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * The service's error code and a short message from a failed answer. Never throws: bodies may be
 * JSON, HTML (front ends under load), plain text or empty.
 */
export function describeServiceError(
  _status: number,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): { serviceCode?: string; serviceMessage?: string } {
  const out: { serviceCode?: string; serviceMessage?: string } = {};
  try {
    const headerCode = header(headers ?? {}, 'x-ms-error-code');
    const text = typeof body === 'string' ? body.slice(0, 64 * 1024) : '';
    const json = fromJson(text);
    const code = headerCode ?? json?.code;
    if (code !== undefined) out.serviceCode = code.slice(0, 100);
    let message: string | undefined;
    if (json !== undefined) message = json.message === undefined ? undefined : clip(json.message);
    else if (/^\s*</.test(text)) message = clip(htmlText(text));
    else message = clip(text);
    if (message !== undefined) out.serviceMessage = message;
  } catch {
    // A describer must never turn a delivery failure into a crash.
  }
  return out;
}
