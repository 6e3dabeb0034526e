/**
 * Reading the service's failed answers: its error code and a short message from a JSON, HTML or
 * plain-text body, and what to check for each status.
 */
import { redact } from '../report/redact.js';

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
    // Redacted before anything is cut, so a clipped token cannot slip through half-matched.
    const text = typeof body === 'string' ? redact(body.slice(0, 64 * 1024)) : '';
    const json = fromJson(text);
    const code = headerCode ?? json?.code;
    if (code !== undefined) out.serviceCode = redact(code.slice(0, 100));
    let message: string | undefined;
    if (json !== undefined) message = json.message === undefined ? undefined : clip(json.message);
    else if (/^\s*</.test(text)) message = clip(htmlText(text));
    else message = clip(text);
    // A proxy's error page may echo our Authorization header back: never pass a token on.
    if (message !== undefined) out.serviceMessage = redact(message);
  } catch {
    // A describer must never turn a delivery failure into a crash.
  }
  return out;
}
