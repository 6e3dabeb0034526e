/**
 * From an attempt's outcome to what the engine does next: delivered, or the retry policy's
 * decision; and the matching request-end diagnostics event.
 */
import { type Batch, batchSize, siblingState } from '../engine/batch.js';
import { hasEndSubscribers, publishEnd } from '../report/diagnostics.js';
import type { Outcome } from './attempt.js';
import { decideRetry, type RetryDecision, type RetryPolicy } from './retry-policy.js';

export type Verdict = { readonly action: 'delivered' } | RetryDecision;

/** The verdict on an attempt, and the request-end diagnostics event. */
export function verdictFor(
  batch: Batch,
  outcome: Outcome,
  now: number,
  policy: RetryPolicy,
): Verdict {
  const verdict = decide(batch, outcome, now, policy);
  if (hasEndSubscribers())
    publishEndOf(outcome, verdict.action === 'retry' ? verdict.delayMs : undefined);
  return verdict;
}

/** The verdict only: also used to decide again on a held 400 once its sibling is known. */
export function decide(batch: Batch, outcome: Outcome, now: number, policy: RetryPolicy): Verdict {
  const { status, errorCode } = outcome;
  if (status !== undefined && status >= 200 && status < 300) return { action: 'delivered' };
  const sibling = siblingState(batch);
  return decideRetry(
    {
      ...(status !== undefined ? { status } : {}),
      ...(errorCode !== undefined ? { errorCode } : {}),
      ...retryAfterOf(outcome),
      attempt: batch.attempt,
      now,
      ...(batch.failingSince !== undefined ? { failingSince: batch.failingSince } : {}),
      records: batchSize(batch),
      tokenRefreshed: batch.tokenRefreshed,
      ...(sibling !== undefined ? { sibling } : {}),
    },
    policy,
  );
}

function retryAfterOf(outcome: Outcome): { retryAfter?: string | string[] } {
  const value = outcome.answer?.headers['retry-after'];
  return value === undefined ? {} : { retryAfter: value };
}

function publishEndOf(outcome: Outcome, retry: number | undefined): void {
  publishEnd({
    ...outcome.start,
    durationMs: outcome.durationMs,
    ...(outcome.status !== undefined ? { status: outcome.status } : {}),
    ...(outcome.errorCode !== undefined ? { errorCode: outcome.errorCode } : {}),
    ...(retry !== undefined ? { retry } : {}),
  });
}
