/** A batch on its way: taken from the queue, in flight, waiting to retry, or split. */

import type { Outcome } from '../delivery/attempt.js';
import type { EncodedBody } from '../delivery/gzip-body.js';
import type { SiblingState } from '../delivery/retry-policy.js';
import type { Shard } from '../delivery/shard-set.js';
import type { TimerHandle } from './clock.js';
import type { Segment } from './segment.js';

export interface Batch {
  readonly segment: Segment;
  /** Records `from`…`to` (exclusive) of the segment. */
  readonly from: number;
  readonly to: number;
  /** Sum of the records' sizes: what the batch holds of the byte budget. */
  readonly bytes: number;
  /** The attempt about to run or just run, 1 for the first. */
  attempt: number;
  /** Epoch ms when its last attempt started (a throttle of an older request is an old one). */
  startedAt: number;
  /** The rule its last attempt went to. */
  shard: Shard | undefined;
  /** A 401 already forced a token refresh for this batch. */
  tokenRefreshed: boolean;
  /** The next attempt must refresh the token first. */
  forceRefresh: boolean;
  /** Encoded once, reused by retries. */
  encoded: EncodedBody | undefined;
  /** The pending retry timer, if waiting on its own backoff (see Engine: suspects). */
  timer: TimerHandle | undefined;
  /** Aborts the attempt in flight (close() timed out, destroy()). */
  abort: AbortController | undefined;
  /** Epoch ms of its first failed attempt: retries stop `maxRetryTimeMs` after it. */
  failingSince: number | undefined;
  /** Sent at once when an outage ended: failing again right then makes it a suspect. */
  resetAtRecovery: boolean;
  /**
   * Failed on its own while the service answered others: it retries on its own backoff and no
   * longer puts the client in outage mode (one bad batch must not hold the others).
   */
  suspect: boolean;
  /** Given up (close timeout, destroy): a late outcome is ignored. */
  abandoned: boolean;
  /** The other half, when this batch is a half of a batch split after a 400. */
  sibling: Batch | undefined;
  /** A 400 answer kept, undecided, until the sibling's fate is known. */
  held: Outcome | undefined;
  /** How it ended, once it has: rejected by a 400, or anything else (delivered, split, failed). */
  ended: 'rejected' | 'settled' | undefined;
}

export function newBatch(segment: Segment, from = segment.head, to = segment.ends.length): Batch {
  let bytes = 0;
  for (let i = from; i < to; i++) bytes += segment.recordBytes(i);
  segment.refs++;
  return {
    segment,
    from,
    to,
    bytes,
    attempt: 1,
    startedAt: 0,
    shard: undefined,
    tokenRefreshed: false,
    forceRefresh: false,
    encoded: undefined,
    timer: undefined,
    abort: undefined,
    failingSince: undefined,
    resetAtRecovery: false,
    suspect: false,
    abandoned: false,
    sibling: undefined,
    held: undefined,
    ended: undefined,
  };
}

/** Where the other half of a 400 split stands (undefined: not a half of a 400 split). */
export function siblingState(batch: Batch): SiblingState | undefined {
  const other = batch.sibling;
  if (!other) return undefined;
  if (other.held || other.ended === 'rejected') return 'rejected';
  return other.ended ? 'settled' : 'pending';
}

export function batchSize(batch: Batch): number {
  return batch.to - batch.from;
}

export function firstSeq(batch: Batch): number {
  return batch.segment.firstSeq + batch.from;
}

/** Orders batches oldest first (by the acceptance number of their first record). */
export function bySeq(a: Batch, b: Batch): number {
  return firstSeq(a) - firstSeq(b);
}

/** The records as JSON texts (for onError): decoded from the body only when needed. */
export function batchTexts(batch: Batch): string[] {
  const texts: string[] = [];
  for (let i = batch.from; i < batch.to; i++) texts.push(batch.segment.text(i));
  return texts;
}

/** The uncompressed JSON array body. */
export function batchBody(batch: Batch): Buffer {
  return batch.segment.body(batch.from, batch.to);
}
