/**
 * HS256 JWTs: the emulator signs its own tokens and accepts only those. Real Entra tokens are
 * RS256 and signed by Microsoft; emulating that trust chain would prove nothing more, while a
 * per-process secret still catches clients that send a stale, foreign or garbled token.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/** Claims the emulator puts in (and reads from) a token. */
export interface TokenClaims {
  readonly aud: string;
  readonly iss: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly oid: string;
  readonly tid: string;
  readonly appid: string;
}

/** Why a token was refused. */
export type TokenProblem = 'missing' | 'malformed' | 'signature' | 'expired' | 'audience';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function b64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

function hmac(secret: string, data: string): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

/** The emulator's directory (tenant) and application (client) ids, in tokens and in env(). */
export const EMULATOR_TENANT_ID = TENANT;
export const EMULATOR_CLIENT_ID = 'e0e0e0e0-0000-4000-8000-00000000e0e0';

/** An HS256 JWT of `claims`, signed with `secret`. */
export function signJwt(secret: string, claims: object): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${b64url(hmac(secret, `${head}.${body}`))}`;
}

/** Sign a token for `audience`, valid for `lifetimeSec` from `nowMs`. */
export function signToken(
  secret: string,
  audience: string,
  nowMs: number,
  lifetimeSec: number,
): { token: string; claims: TokenClaims } {
  const iat = Math.floor(nowMs / 1000);
  const claims: TokenClaims = {
    aud: audience,
    iss: `https://sts.windows.net/${TENANT}/`,
    iat,
    nbf: iat - 300,
    exp: iat + lifetimeSec,
    oid: randomUUID(),
    tid: TENANT,
    appid: EMULATOR_CLIENT_ID,
  };
  return { token: signJwt(secret, claims), claims };
}

/** Monitor audiences of the public and sovereign clouds, with or without the trailing slash. */
export function isMonitorAudience(aud: unknown): boolean {
  return typeof aud === 'string' && /^https:\/\/monitor\.azure\.(com|us|cn)\/?$/.test(aud);
}

/** The claims of a JWT signed with `secret`, or why it cannot be read. */
export function readJwt(
  secret: string,
  token: string | undefined,
): { ok: true; claims: Record<string, unknown> } | { ok: false; problem: TokenProblem } {
  if (!token) return { ok: false, problem: 'missing' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, problem: 'malformed' };
  const [head, body, sig] = parts as [string, string, string];
  let claims: Record<string, unknown>;
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as { alg?: string };
    if (header.alg !== 'HS256') return { ok: false, problem: 'signature' };
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  const expected = hmac(secret, `${head}.${body}`);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, problem: 'signature' };
  }
  return { ok: true, claims };
}

/** Whether `nowMs` is within the claims' `nbf` … `exp`. */
export function inLifetime(claims: Record<string, unknown>, nowMs: number): boolean {
  const nowSec = nowMs / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= nowSec) return false;
  return !(typeof claims.nbf === 'number' && claims.nbf > nowSec);
}

/** Check a bearer token: signature, expiry against `nowMs`, monitor audience. */
export function verifyToken(
  secret: string,
  token: string | undefined,
  nowMs: number,
): { ok: true; claims: TokenClaims } | { ok: false; problem: TokenProblem } {
  const read = readJwt(secret, token);
  if (!read.ok) return read;
  if (!inLifetime(read.claims, nowMs)) return { ok: false, problem: 'expired' };
  if (!isMonitorAudience(read.claims.aud)) return { ok: false, problem: 'audience' };
  return { ok: true, claims: read.claims as unknown as TokenClaims };
}
