/** A batch on its way: taken from the queue, in flight, waiting to retry, or split. */
import type { EncodedBody } from './batch-encoder.js';
import type { TimerHandle } from './clock.js';
import type { QueuedRecord } from './queue.js';

export interface Batch {
  readonly records: readonly QueuedRecord[];
  /** Sum of the records' sizes: what the batch holds of the byte budget. */
  readonly bytes: number;
  /** The attempt about to run or just run, 1 for the first. */
  attempt: number;
  /** A 401 already forced a token refresh for this batch. */
  tokenRefreshed: boolean;
  /** The next attempt must refresh the token first. */
  forceRefresh: boolean;
  /** Encoded once, reused by retries. */
  encoded: EncodedBody | undefined;
  /** The pending retry timer, if waiting. */
  timer: TimerHandle | undefined;
  /** Given up (close timeout, destroy): a late outcome is ignored. */
  abandoned: boolean;
}

export function newBatch(records: readonly QueuedRecord[]): Batch {
  let bytes = 0;
  for (const r of records) bytes += r.bytes;
  return {
    records,
    bytes,
    attempt: 1,
    tokenRefreshed: false,
    forceRefresh: false,
    encoded: undefined,
    timer: undefined,
    abandoned: false,
  };
}

export function recordTexts(records: readonly QueuedRecord[]): string[] {
  return records.map((r) => r.text);
}
