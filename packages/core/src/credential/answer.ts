/**
 * Reading a token endpoint's answer into an AccessToken. The three protocols answer alike
 * (`access_token` plus an expiry) but state the expiry differently:
 *
 *   App Service / Container Apps   expires_on: epoch seconds as a string (ISO 8601 seen too)
 *   IMDS                           expires_on and expires_in: seconds, as strings
 *   Entra ID token endpoint        expires_in: seconds, as a number; sometimes refresh_in
 *
 * and errors alike (`error` + `error_description`, or `message`, or `error: {code, message}`).
 * The answer body is never put in a message whole: only the error fields, clipped, with any
 * secret of the request replaced.
 */
import type { AccessToken } from '../types.js';
import { CredentialError, type TokenAnswer } from './http.js';

/** Tokens living longer than this are refreshed at half their lifetime (as MSAL does). */
const LONG_LIVED_MS = 2 * 3_600_000;
const MESSAGE_CLIP = 400;

type Json = Record<string, unknown>;

function parse(body: string): Json | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** Seconds from a number or a numeric string. */
function seconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Epoch ms of the expiry: `expires_on` (seconds or ISO 8601), else now + `expires_in`. */
function expiresAt(json: Json, requestedAt: number): number | undefined {
  const on = seconds(json.expires_on);
  if (on !== undefined) return on * 1000;
  if (typeof json.expires_on === 'string') {
    const at = Date.parse(json.expires_on);
    if (!Number.isNaN(at)) return at;
  }
  const inSec = seconds(json.expires_in);
  return inSec === undefined ? undefined : requestedAt + inSec * 1000;
}

/** The error fields of an error answer, on one line. */
function describe(json: Json | undefined, body: string): string {
  if (!json) return body.trim() === '' ? 'empty answer' : 'an answer that is not JSON';
  const err = json.error;
  const code = typeof err === 'string' ? err : (err as Json | undefined)?.code;
  const text =
    json.error_description ??
    json.message ??
    (typeof err === 'object' && err !== null ? (err as Json).message : undefined);
  return [code, text].filter((p) => typeof p === 'string' && p !== '').join(': ') || 'no details';
}

/** `text` on one line, clipped, with every secret replaced. */
function sanitize(text: string, secrets: readonly string[]): string {
  let out = text.replace(/\s+/g, ' ').trim();
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('<redacted>');
  return out.length > MESSAGE_CLIP ? `${out.slice(0, MESSAGE_CLIP)}…` : out;
}

/**
 * The token of a 2xx answer, with a refresh hint: the answer's `refresh_in`, else half the
 * lifetime of a token living over 2 hours (managed-identity tokens live 24 hours).
 * @throws CredentialError for an error answer or one without a token or an expiry.
 */
export function accessTokenFrom(
  name: string,
  answer: TokenAnswer,
  requestedAt: number,
  secrets: readonly string[],
): AccessToken {
  const json = parse(answer.body);
  if (answer.status < 200 || answer.status > 299) {
    const details = sanitize(describe(json, answer.body), secrets);
    throw new CredentialError(`${name}: HTTP ${answer.status}: ${details}`, answer.status);
  }
  const token = json?.access_token;
  const expires = json ? expiresAt(json, requestedAt) : undefined;
  if (typeof token !== 'string' || token === '' || expires === undefined) {
    throw new CredentialError(
      `${name}: HTTP ${answer.status} without access_token and expires_on/expires_in`,
      answer.status,
    );
  }
  const refreshIn = seconds(json?.refresh_in);
  const lifetime = expires - requestedAt;
  if (refreshIn !== undefined) {
    return {
      token,
      expiresOnTimestamp: expires,
      refreshAfterTimestamp: requestedAt + refreshIn * 1000,
    };
  }
  if (lifetime > LONG_LIVED_MS) {
    return {
      token,
      expiresOnTimestamp: expires,
      refreshAfterTimestamp: requestedAt + lifetime / 2,
    };
  }
  return { token, expiresOnTimestamp: expires };
}

/** The resource of a `<resource>/.default` scope, as the managed-identity endpoints want it. */
export function resourceOf(scopes: string | string[]): string {
  const scope = Array.isArray(scopes) ? (scopes[0] ?? '') : scopes;
  return scope.endsWith('/.default') ? scope.slice(0, -'/.default'.length) : scope;
}
