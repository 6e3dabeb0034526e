/**
 * Secrets never reach an error, `onError`, a warning or a diagnostics event. Our own requests'
 * headers are never reported, but a proxy or WAF error page may echo them back (an HTML 400
 * that prints the request's `Authorization` header), and a credential's error may quote a
 * token response: anything that looks like a bearer token, a JWT or a token field is replaced.
 */

const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
/** A JWT: three base64url parts, the first two starting as JSON objects do (`{"` → `eyJ`). */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** `access_token=…`, `"client_secret": "…"`, `Authorization: …` (JSON, form or header text). */
const TOKEN_FIELD =
  /((?:access_token|refresh_token|id_token|client_secret|client_assertion|authorization)["']?\s*[:=]\s*["']?)(?:(?:Bearer|Basic|SharedKey)\s+)?[^"'&\s,;}[]+/gi;

/**
 * `text` with every token-looking part replaced by `[redacted]` (square brackets: an HTML page's
 * text is read after this, and angle brackets would pass for a tag); `secrets` are removed too.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('[redacted]');
  return out
    .replace(TOKEN_FIELD, '$1[redacted]')
    .replace(BEARER, '$1 [redacted]')
    .replace(JWT, '[redacted JWT]');
}
