/**
 * Merging requests while the service throttles (see rate-control.ts): the records of several
 * small batches (parked by a 429, sent back after an outage, or still queued) copied into one
 * request of at most maxBatchBytes (and maxBatchRecords), so a throttled rule gets one request
 * where it would have got several.
 *
 *   batch A [a0 a1]  batch B [b0]  queued segment [c0 c1 c2]
 *        └──────────────┴──────────────┴──> one new Segment [a0 a1 b0 c0 c1 c2]
 *
 * The bytes are copied, not decoded: a merge costs one memcpy of the records, and only happens
 * after a throttle (the gzip of the merged body, needed anyway, costs far more). Records stay
 * oldest first, so record i of the merged segment has an acceptance number of at least
 * `firstSeq + i`, which is all that flush() needs (it waits while the lowest unsettled number is
 * at most its target).
 */
import { type Batch, batchSize, bySeq, firstSeq, newBatch } from './batch.js';
import { Segment } from './segment.js';
import { bodyBytes } from './segment-queue.js';

/**
 * Whether a batch may take part in a merge: it covers its whole segment (halves of a split
 * never do, so a 413 split is never undone) and waits on no decision of its own (a 400 sibling,
 * a suspect on its own backoff).
 */
export function mergeable(b: Batch): boolean {
  return (
    b.from === b.segment.head &&
    b.to === b.segment.ends.length &&
    b.sibling === undefined &&
    b.held === undefined &&
    !b.suspect &&
    !b.abandoned &&
    b.timer === undefined &&
    b.ended === undefined
  );
}

/** What a merged request holds so far, and whether more fits. */
export class MergeRoom {
  #records: number;
  #bytes: number;
  readonly #maxBytes: number;
  readonly #maxRecords: number;

  constructor(first: Batch, maxBatchBytes: number, maxBatchRecords: number) {
    this.#records = batchSize(first);
    this.#bytes = first.bytes;
    this.#maxBytes = maxBatchBytes;
    this.#maxRecords = maxBatchRecords;
  }

  /** Whether `records` records of `bytes` bytes fit too. */
  fits(records: number, bytes: number): boolean {
    const count = this.#records + records;
    if (this.#maxRecords > 0 && count > this.#maxRecords) return false;
    return bodyBytes(count, this.#bytes + bytes) <= this.#maxBytes;
  }

  /** Takes `b` in when it fits. */
  add(b: Batch): boolean {
    if (!this.fits(batchSize(b), b.bytes)) return false;
    this.#records += batchSize(b);
    this.#bytes += b.bytes;
    return true;
  }
}

/**
 * One batch holding the records of `parts`, oldest first, in a new Segment. Its retry state is
 * the most advanced of the parts' (the highest attempt, the earliest failure), so merging never
 * extends a record's retry budget. The parts are left to the caller to release.
 */
export function mergeBatches(parts: readonly Batch[], maxBatchBytes: number): Batch {
  const sorted = [...parts].sort(bySeq);
  const first = sorted[0] as Batch;
  let records = 0;
  let bytes = 0;
  for (const p of sorted) {
    records += batchSize(p);
    bytes += p.bytes;
  }
  const segment = new Segment(firstSeq(first), maxBatchBytes, bodyBytes(records, bytes));
  for (const p of sorted) for (let i = p.from; i < p.to; i++) segment.copyFrom(p.segment, i);
  segment.sealed = true;
  const merged = newBatch(segment);
  for (const p of sorted) {
    merged.attempt = Math.max(merged.attempt, p.attempt);
    merged.forceRefresh ||= p.forceRefresh;
    merged.resetAtRecovery ||= p.resetAtRecovery;
    const since = p.failingSince;
    if (since !== undefined && (merged.failingSince === undefined || since < merged.failingSince))
      merged.failingSince = since;
  }
  return merged;
}
