import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../src/delivery/retry-after.js';
import {
  type AttemptResult,
  backoffMs,
  decideRetry,
  type RetryPolicy,
} from '../src/delivery/retry-policy.js';
import { ErrorCodes } from '../src/errors.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const policy: RetryPolicy = {
  maxRetries: 3,
  maxRetryTimeMs: 600_000,
  retryBaseMs: 500,
  retryMaxMs: 30_000,
  random: () => 0.5,
};

function decide(partial: Partial<AttemptResult>, p: RetryPolicy = policy) {
  return decideRetry({ attempt: 1, now: NOW, ...partial }, p);
}

describe('decideRetry', () => {
  it.each([
    // status, attempt, Retry-After, expected
    // A positive Retry-After pauses the whole client (throttled); see the engine.
    [429, 1, '7', { action: 'retry', delayMs: 7000, throttled: true }],
    [503, 1, '2', { action: 'retry', delayMs: 2000, throttled: true }],
    [503, 2, '0', { action: 'retry', delayMs: 500 }], // zero: the normal backoff, not a tight loop
    [429, 1, '-3', { action: 'retry', delayMs: 250 }], // negative: not a number of seconds
    [429, 1, '120', { action: 'retry', delayMs: 30_000, throttled: true }], // capped at retryMaxMs
    [429, 1, 'Sun, 01 Mar 2026 12:00:05 GMT', { action: 'retry', delayMs: 5000, throttled: true }],
    [503, 1, 'Sun, 01 Mar 2026 11:59:00 GMT', { action: 'retry', delayMs: 250 }], // past: backoff
    [429, 1, undefined, { action: 'retry', delayMs: 250 }], // no header: backoff 0.5 × 500
    [429, 1, 'soon', { action: 'retry', delayMs: 250 }], // junk header: backoff
    [500, 1, '9', { action: 'retry', delayMs: 250 }], // Retry-After only honoured on 429/503
    [408, 2, undefined, { action: 'retry', delayMs: 500 }],
    [502, 3, undefined, { action: 'retry', delayMs: 1000 }],
    [504, 1, undefined, { action: 'retry', delayMs: 250 }],
    [507, 1, undefined, { action: 'retry', delayMs: 250 }],
    [503, 4, '1', { action: 'fail', code: ErrorCodes.RETRIES_EXHAUSTED }],
    [500, 4, undefined, { action: 'fail', code: ErrorCodes.RETRIES_EXHAUSTED }],
    [400, 1, undefined, { action: 'split' }], // isolates the bad record(s): see below
    [403, 1, '1', { action: 'fail', code: ErrorCodes.FORBIDDEN }],
    [404, 1, undefined, { action: 'fail', code: ErrorCodes.NOT_FOUND }],
    [409, 1, undefined, { action: 'fail', code: ErrorCodes.HTTP_PERMANENT }],
    [422, 1, undefined, { action: 'fail', code: ErrorCodes.HTTP_PERMANENT }],
    [501, 1, undefined, { action: 'fail', code: ErrorCodes.HTTP_PERMANENT }],
    [505, 1, undefined, { action: 'fail', code: ErrorCodes.HTTP_PERMANENT }],
    [302, 1, undefined, { action: 'fail', code: ErrorCodes.HTTP_PERMANENT }],
  ] as const)(
    'status %i, attempt %i, Retry-After %s → %o',
    (status, attempt, retryAfter, expected) => {
      const input =
        retryAfter === undefined ? { status, attempt } : { status, attempt, retryAfter };
      expect(decide(input)).toEqual(expected);
    },
  );

  it('splits a 413 batch of several records and fails a 413 on one record', () => {
    expect(decide({ status: 413, records: 10 })).toEqual({ action: 'split' });
    expect(decide({ status: 413, records: 2, attempt: 9 })).toEqual({ action: 'split' });
    expect(decide({ status: 413, records: 1 })).toEqual({
      action: 'fail',
      code: ErrorCodes.RECORD_TOO_LARGE,
    });
  });

  it.each([
    // records, sibling (a half of a 400 split: where the other half stands), attempt, expected
    [10, undefined, 1, { action: 'split' }], // a first 400: isolate the bad record(s)
    [2, undefined, 3, { action: 'split' }], // after retries of other errors: same
    [1, undefined, 1, { action: 'fail', code: ErrorCodes.BAD_REQUEST }], // nothing to split
    [10, 'settled', 1, { action: 'split' }], // the other half passed: the bad record is here
    [10, 'pending', 1, { action: 'hold' }], // decide once the other half is known
    [10, 'rejected', 1, { action: 'fail', code: ErrorCodes.BAD_REQUEST }], // both 400: systematic
    // one record waits too, so a systematic 400 is one report whichever half answers first
    [1, 'pending', 1, { action: 'hold' }],
    [1, 'settled', 1, { action: 'fail', code: ErrorCodes.BAD_REQUEST }],
    [1, 'rejected', 1, { action: 'fail', code: ErrorCodes.BAD_REQUEST }],
  ] as const)(
    '400 on %i records, sibling %s, attempt %i → %o',
    (records, sibling, attempt, expected) => {
      const input =
        sibling === undefined
          ? { status: 400, records, attempt }
          : { status: 400, records, attempt, sibling };
      expect(decide(input)).toEqual(expected);
    },
  );

  it('ignores the sibling state for other statuses', () => {
    expect(decide({ status: 413, records: 4, sibling: 'rejected' })).toEqual({ action: 'split' });
    expect(decide({ status: 503, records: 4, sibling: 'pending' })).toEqual({
      action: 'retry',
      delayMs: 250,
    });
    expect(decide({ status: 403, records: 4, sibling: 'settled' })).toEqual({
      action: 'fail',
      code: ErrorCodes.FORBIDDEN,
    });
    expect(
      decide({ status: 400, records: 4, sibling: 'pending' }, { ...policy, maxRetries: 0 }),
    ).toEqual({
      action: 'hold',
    });
  });

  it('answers a first 401 with one immediate retry after a token refresh, a second with UNAUTHORIZED', () => {
    expect(decide({ status: 401 })).toEqual({ action: 'retry', delayMs: 0, refreshToken: true });
    expect(decide({ status: 401, tokenRefreshed: true })).toEqual({
      action: 'fail',
      code: ErrorCodes.UNAUTHORIZED,
    });
  });

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'ENOTFOUND',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
    'TIMEOUT',
  ])('retries transport error %s with backoff, then gives up', (errorCode) => {
    expect(decide({ errorCode, attempt: 1 })).toEqual({ action: 'retry', delayMs: 250 });
    expect(decide({ errorCode, attempt: 3 })).toEqual({ action: 'retry', delayMs: 1000 });
    expect(decide({ errorCode, attempt: 4 })).toEqual({
      action: 'fail',
      code: ErrorCodes.RETRIES_EXHAUSTED,
    });
  });

  it('retries credential failures and ends with CREDENTIAL', () => {
    expect(decide({ errorCode: 'CREDENTIAL', attempt: 2 })).toEqual({
      action: 'retry',
      delayMs: 500,
    });
    expect(decide({ errorCode: 'CREDENTIAL', attempt: 4 })).toEqual({
      action: 'fail',
      code: ErrorCodes.CREDENTIAL,
    });
  });

  it('fails unknown local errors at once', () => {
    expect(decide({ errorCode: 'ERR_INVALID_ARG_TYPE' })).toEqual({
      action: 'fail',
      code: ErrorCodes.RETRIES_EXHAUSTED,
    });
  });

  it('never retries with maxRetries 0', () => {
    expect(decide({ status: 503, retryAfter: '1' }, { ...policy, maxRetries: 0 })).toEqual({
      action: 'fail',
      code: ErrorCodes.RETRIES_EXHAUSTED,
    });
  });

  it.each([
    // failing for (ms), budget (ms), expected action
    [0, 600_000, 'retry'],
    [599_999, 600_000, 'retry'],
    [600_000, 600_000, 'fail'],
    [3_600_000, 600_000, 'fail'],
    [0, 0, 'fail'], // a budget of 0 never retries
  ] as const)(
    'by time: failing for %i ms with maxRetryTimeMs %i → %s',
    (failing, budget, action) => {
      const timed = { ...policy, maxRetries: Number.POSITIVE_INFINITY, maxRetryTimeMs: budget };
      for (const fault of [
        { status: 503 },
        { errorCode: 'ECONNREFUSED' },
        { errorCode: 'CREDENTIAL' },
      ]) {
        const result = decide({ ...fault, attempt: 500, failingSince: NOW - failing }, timed);
        expect(result.action, JSON.stringify(fault)).toBe(action);
      }
    },
  );

  it('names a credential that kept failing CREDENTIAL, anything else RETRIES_EXHAUSTED', () => {
    const spent = { ...policy, maxRetryTimeMs: 1000 };
    const old = { attempt: 2, failingSince: NOW - 5000 };
    expect(decide({ errorCode: 'CREDENTIAL', ...old }, spent)).toEqual({
      action: 'fail',
      code: ErrorCodes.CREDENTIAL,
    });
    expect(decide({ errorCode: 'ETIMEDOUT', ...old }, spent)).toEqual({
      action: 'fail',
      code: ErrorCodes.RETRIES_EXHAUSTED,
    });
  });

  it.each(['CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID'])(
    'retries the TLS failure %s by time (a certificate can be fixed while records wait)',
    (errorCode) => {
      expect(decide({ errorCode }).action).toBe('retry');
    },
  );
});

describe('backoffMs', () => {
  it('is full jitter under a doubling, capped ceiling', () => {
    const at = (attempt: number, r: number) => backoffMs(attempt, { ...policy, random: () => r });
    expect(at(1, 0)).toBe(0);
    expect(at(1, 0.999)).toBe(499);
    expect(at(2, 0.5)).toBe(500);
    expect(at(5, 0.5)).toBe(4000);
    expect(at(20, 0.5)).toBe(15_000); // ceiling capped at retryMaxMs = 30 s
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['3', 3000],
    [' 10 ', 10_000],
    ['1.5', 1500],
    ['0', 0],
    ['Sun, 01 Mar 2026 12:01:00 GMT', 60_000],
    ['Sunday, 01-Mar-26 12:00:30 GMT', 30_000],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0],
    ['', undefined],
    ['-5', undefined],
    ['soon', undefined],
    ['12abc', undefined],
  ])('%j → %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('takes the first of repeated headers and ignores absence', () => {
    expect(parseRetryAfter(['2', '9'], NOW)).toBe(2000);
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });
});
