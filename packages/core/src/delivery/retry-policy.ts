/**
 * The retry policy as one pure decision function: given what happened to an attempt, retry
 * (after how long), split the batch (413, 400), wait for the other half of a 400 split, or give
 * up with a stable error code. Everything it depends on (time, randomness, limits, the other
 * half's fate) is a parameter, so it is tested as a table.
 *
 * A 400 means a body the service cannot parse; with `pushJson()` one bad text spoils its whole
 * batch. Splitting isolates it in ~2·log2(n) requests. A 400 from a setting (every record bad)
 * would cost ~2n requests that way, so when both halves of a 400 split fail with 400 the split
 * stops and all their records are rejected: a systematic 400 costs 3 requests.
 * Model: undici `lib/handler/retry-handler.js`.
 */
import { type ErrorCode, ErrorCodes } from '../errors.js';
import { parseRetryAfter } from './retry-after.js';

export interface RetryPolicy {
  /** Retries after the first attempt at most; `Infinity`: no count limit. */
  readonly maxRetries: number;
  /** A batch is given up once it has been failing this long (from its first failed attempt). */
  readonly maxRetryTimeMs: number;
  readonly retryBaseMs: number;
  /** Caps the backoff and an honoured `Retry-After`. */
  readonly retryMaxMs: number;
  /** A number in [0, 1): the jitter source (Math.random outside tests). */
  readonly random: () => number;
}

export interface AttemptResult {
  /** HTTP status, when an answer came. */
  readonly status?: number;
  /** Error code when no answer came: a Node/undici code (ECONNRESET, UND_ERR_SOCKET, …), `TIMEOUT` or `CREDENTIAL`. */
  readonly errorCode?: string;
  /** The attempt that just failed, 1 for the first. */
  readonly attempt: number;
  /** The `Retry-After` header, seconds or an HTTP date. */
  readonly retryAfter?: string | string[];
  /** Epoch ms, to resolve an HTTP-date `Retry-After`. */
  readonly now: number;
  /** Epoch ms of the batch's first failed attempt; absent when this attempt is its first failure. */
  readonly failingSince?: number;
  /** Records in the batch (a 413 or 400 on one record cannot be split). @default 2 */
  readonly records?: number;
  /**
   * Only for a half of a batch split after a 400: where the other half stands. `pending`: no
   * final answer yet (queued, in flight, retrying); `rejected`: it got a 400 too; `settled`:
   * anything else (delivered, split, failed otherwise).
   */
  readonly sibling?: SiblingState;
  /** A 401 already forced a token refresh for this batch. */
  readonly tokenRefreshed?: boolean;
}

export type SiblingState = 'pending' | 'rejected' | 'settled';

export type RetryDecision =
  /**
   * `throttled`: the service asked the whole client to wait (429, or 503 with `Retry-After`);
   * `refreshToken`: retry at once with a new token (a first 401).
   */
  | {
      readonly action: 'retry';
      readonly delayMs: number;
      readonly refreshToken?: true;
      readonly throttled?: true;
    }
  | { readonly action: 'split' }
  /** A 400 on a half whose other half is still pending: decide again once that one is known. */
  | { readonly action: 'hold' }
  | { readonly action: 'fail'; readonly code: ErrorCode };

/** Statuses retried with backoff; 429 and 503 also honour `Retry-After`. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const HONOURS_RETRY_AFTER = new Set([429, 503]);
/** 5xx that will not change on a retry (as in the Azure core pipeline). */
const PERMANENT_5XX = new Set([501, 505]);

/**
 * Transport errors worth another attempt: resets, refusals, timeouts, DNS failures.
 * Anything else without an HTTP answer is a local programming error and fails at once.
 */
const RETRYABLE_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'TIMEOUT',
  'CREDENTIAL',
  // TLS: a certificate the service rotates badly, or an intercepting proxy being fixed, can
  // recover; retrying by time keeps the records meanwhile (the warning names the TLS error).
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Whether a batch has used up its retries: by count (if capped) or by time failing. */
function exhausted(result: AttemptResult, policy: RetryPolicy): boolean {
  const failing = result.now - (result.failingSince ?? result.now);
  return result.attempt > policy.maxRetries || failing >= policy.maxRetryTimeMs;
}

/** Capped exponential backoff with full jitter: uniform in [0, min(max, base·2^(attempt−1))]. */
export function backoffMs(attempt: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(policy.random() * ceiling);
}

/** Decides what to do after a failed attempt (a 2xx never gets here). */
export function decideRetry(result: AttemptResult, policy: RetryPolicy): RetryDecision {
  const { status } = result;
  if (status === undefined) return decideTransport(result, policy);
  if (status === 413) {
    return (result.records ?? 2) > 1
      ? { action: 'split' }
      : { action: 'fail', code: ErrorCodes.RECORD_TOO_LARGE };
  }
  if (status === 400) return decideBadRequest(result);
  if (status === 401) {
    return result.tokenRefreshed
      ? { action: 'fail', code: ErrorCodes.UNAUTHORIZED }
      : { action: 'retry', delayMs: 0, refreshToken: true };
  }
  if (!RETRYABLE_STATUS.has(status) && !(status >= 500 && !PERMANENT_5XX.has(status))) {
    return { action: 'fail', code: permanentCode(status) };
  }
  if (exhausted(result, policy)) return { action: 'fail', code: ErrorCodes.RETRIES_EXHAUSTED };
  return retryAfterAnswer(result, policy);
}

/**
 * A 400: split to isolate the bad record(s), unless the batch is one record, or both halves of
 * the split that made it got a 400 (systematic: stop splitting, reject the lot). A half waits
 * for its pending sibling even when it is one record, so that a systematic 400 is one report
 * whichever half answers first.
 */
function decideBadRequest(result: AttemptResult): RetryDecision {
  if (result.sibling === 'rejected') return { action: 'fail', code: ErrorCodes.BAD_REQUEST };
  if (result.sibling === 'pending') return { action: 'hold' };
  return (result.records ?? 2) <= 1
    ? { action: 'fail', code: ErrorCodes.BAD_REQUEST }
    : { action: 'split' };
}

function decideTransport(result: AttemptResult, policy: RetryPolicy): RetryDecision {
  const code = result.errorCode ?? 'UNKNOWN';
  const exhaustedCode =
    code === 'CREDENTIAL' ? ErrorCodes.CREDENTIAL : ErrorCodes.RETRIES_EXHAUSTED;
  if (!RETRYABLE_ERRORS.has(code) || exhausted(result, policy)) {
    return { action: 'fail', code: exhaustedCode };
  }
  return { action: 'retry', delayMs: backoffMs(result.attempt, policy) };
}

/**
 * A retry after an HTTP answer: a positive `Retry-After` on 429/503 is honoured (capped at
 * retryMaxMs) and pauses the whole client; absent, unparseable, zero or in the past, the normal
 * backoff applies (a `Retry-After: 0` would otherwise retry in a tight loop).
 */
function retryAfterAnswer(result: AttemptResult, policy: RetryPolicy): RetryDecision {
  if (result.status !== undefined && HONOURS_RETRY_AFTER.has(result.status)) {
    const asked = parseRetryAfter(result.retryAfter, result.now);
    if (asked !== undefined && asked > 0) {
      return { action: 'retry', delayMs: Math.min(asked, policy.retryMaxMs), throttled: true };
    }
  }
  return { action: 'retry', delayMs: backoffMs(result.attempt, policy) };
}

function permanentCode(status: number): ErrorCode {
  switch (status) {
    case 403:
      return ErrorCodes.FORBIDDEN;
    case 404:
      return ErrorCodes.NOT_FOUND;
    default:
      return ErrorCodes.HTTP_PERMANENT;
  }
}
