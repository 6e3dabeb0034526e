/**
 * Batch sizing. A request body is the JSON array `[` + records joined by `,` + `]`, so a batch
 * of n records of total size S bytes weighs exactly 2 + S + (n − 1) bytes (UTF-8). The
 * service's 1 MB limit applies to that uncompressed size, so it is what we bound.
 */
import type { QueuedRecord, RecordQueue } from './queue.js';

/** The uncompressed body size of `count` records totalling `recordBytes` bytes. */
export function bodyBytes(count: number, recordBytes: number): number {
  return count === 0 ? 2 : 2 + recordBytes + (count - 1);
}

/** Whether one record can ever be sent: `[` + record + `]` must fit the limit. */
export function fitsAlone(recordBytes: number, maxBatchBytes: number): boolean {
  return recordBytes + 2 <= maxBatchBytes;
}

/**
 * Whether the queue holds at least one full batch: taking records greedily from the head
 * would stop because of a limit, not because the queue ran out.
 */
export function hasFullBatch(
  queue: RecordQueue,
  maxBatchBytes: number,
  maxRecords: number,
): boolean {
  if (maxRecords > 0 && queue.length >= maxRecords) return true;
  return bodyBytes(queue.length, queue.bytes) > maxBatchBytes;
}

/** Takes the next batch from the head of the queue: as many records as fit both limits. */
export function takeBatch(
  queue: RecordQueue,
  maxBatchBytes: number,
  maxRecords: number,
): QueuedRecord[] {
  const batch: QueuedRecord[] = [];
  // 1 byte for `[`, then each record costs its size + 1 (its `,` or the closing `]`).
  let size = 1;
  for (let next = queue.peek(); next !== undefined; next = queue.peek()) {
    if (size + next.bytes + 1 > maxBatchBytes) break;
    if (maxRecords > 0 && batch.length >= maxRecords) break;
    size += next.bytes + 1;
    batch.push(queue.shift() as QueuedRecord);
  }
  return batch;
}

/** Splits a batch in two halves (after a 413); both keep the records' order. */
export function splitBatch<T>(records: readonly T[]): [T[], T[]] {
  const mid = Math.ceil(records.length / 2);
  return [records.slice(0, mid), records.slice(mid)];
}
