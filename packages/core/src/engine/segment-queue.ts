/**
 * The queue of future requests: sealed segments waiting to be sent, then the open one that
 * push() writes into. A segment is sealed when the next record would push its body over
 * maxBatchBytes (brackets and commas counted, UTF-8 bytes) or when it holds maxBatchRecords.
 *
 *   push ──> [ open segment ] ──seal──> Fifo [ sealed … sealed ] ──take──> a batch in flight
 */
import { Fifo } from './fifo.js';
import { MIN_CAPACITY, Segment } from './segment.js';

/** Full-size Buffers kept for reuse: enough for maxConcurrency batches in a steady stream. */
const POOL_SIZE = 4;

/** The uncompressed body size of `count` records totalling `recordBytes` bytes. */
export function bodyBytes(count: number, recordBytes: number): number {
  return count === 0 ? 2 : 2 + recordBytes + (count - 1);
}

/** Whether one record can ever be sent: `[` + record + `]` must fit the limit. */
export function fitsAlone(recordBytes: number, maxBatchBytes: number): boolean {
  return recordBytes + 2 <= maxBatchBytes;
}

/** Splits a range of records in two halves (after a 413); both keep the records' order. */
export function splitRange(from: number, to: number): [[number, number], [number, number]] {
  const mid = from + Math.ceil((to - from) / 2);
  return [
    [from, mid],
    [mid, to],
  ];
}

export class SegmentQueue {
  readonly #maxBytes: number;
  readonly #maxRecords: number;
  readonly #sealed = new Fifo<Segment>();
  #open: Segment | undefined;
  readonly #pool: Buffer[] = [];
  /** The size the last sealed segment reached: the next starts there (traffic is steady). */
  #lastSize = MIN_CAPACITY;
  /** Bytes of the records queued (sealed and open segments). */
  bytes = 0;
  /** Records queued (sealed and open segments). */
  records = 0;
  /** Hears corrections of sizes returned by `append` (see Segment: staged records). */
  readonly #onResize: ((delta: number) => void) | undefined;
  readonly #onSeal: ((segment: Segment) => void) | undefined;
  readonly #resized = (delta: number): void => {
    this.bytes += delta;
    this.#onResize?.(delta);
  };

  /**
   * `onResize(delta)`: a size `append` returned was an estimate, off by `delta` bytes (text
   * that is not ASCII); whoever adds up those sizes adds `delta` too. `onSeal(segment)`: a
   * segment with records was sealed (the spool writes it).
   */
  constructor(
    maxBatchBytes: number,
    maxBatchRecords: number,
    onResize?: (delta: number) => void,
    onSeal?: (segment: Segment) => void,
  ) {
    this.#maxBytes = maxBatchBytes;
    this.#maxRecords = maxBatchRecords;
    this.#onResize = onResize;
    this.#onSeal = onSeal;
  }

  /**
   * Queues one record (it must fit alone); returns its UTF-8 size, or, for a record whose size
   * was not `known`, its UTF-16 length until it is written (corrected through `onResize`).
   */
  append(text: string, known: number, seq: number): number {
    const open = this.#open ?? this.#openSegment(seq);
    let bytes = SegmentQueue.#add(open, text, known);
    if (bytes < 0) {
      this.#seal();
      bytes = SegmentQueue.#add(this.#openSegment(seq), text, known);
    }
    if (this.#maxRecords > 0 && this.#open && this.#open.count >= this.#maxRecords) this.#seal();
    this.bytes += bytes;
    this.records++;
    return bytes;
  }

  /** Stages a record of unknown size when it surely fits, else appends it (-1: full). */
  static #add(segment: Segment, text: string, known: number): number {
    const staged = known < 0 ? segment.stage(text) : -1;
    return staged >= 0 ? staged : segment.append(text, known);
  }

  /** A full segment is waiting (a request's worth of records). */
  hasFull(): boolean {
    return this.#sealed.length > 0;
  }

  /** Records and bytes of the segment `take()` would return next (staged sizes estimated). */
  headSize(): { records: number; bytes: number } | undefined {
    const s = this.#head();
    return s && { records: s.count, bytes: s.bytes };
  }

  /** Acceptance number of the oldest queued record, or Infinity. */
  headSeq(): number {
    const s = this.#head();
    return s ? s.firstSeq + s.head : Number.POSITIVE_INFINITY;
  }

  /** Takes the oldest segment (sealing the open one if it is the oldest). */
  take(): Segment | undefined {
    const s = this.#head();
    if (!s) return undefined;
    if (s === this.#open) this.#seal();
    this.#sealed.shift();
    this.bytes -= s.bytes;
    this.records -= s.count;
    return s;
  }

  /** Drops the oldest queued record (drop-oldest policy). */
  dropOldest(): { text: string; bytes: number } | undefined {
    const s = this.#head();
    s?.commit();
    const dropped = s?.dropHead();
    if (!s || !dropped) return undefined;
    this.bytes -= dropped.bytes;
    this.records--;
    if (s.count === 0) {
      if (s === this.#open) this.#open = undefined;
      else this.#sealed.shift();
    }
    return dropped;
  }

  /** The oldest queued segment, not taken. */
  peek(): Segment | undefined {
    return this.#head();
  }

  /** Seals the open segment now (the spool's flush tick), if it has records. */
  sealOpen(): void {
    this.#seal();
  }

  #head(): Segment | undefined {
    const s = this.#sealed.peek();
    return s ?? (this.#open && this.#open.count > 0 ? this.#open : undefined);
  }

  /** Gives back the Buffer of a segment no batch uses any more. */
  recycle(segment: Segment): void {
    const buffer = segment.release();
    if (buffer && this.#pool.length < POOL_SIZE) this.#pool.push(buffer);
  }

  #openSegment(seq: number): Segment {
    let capacity: Buffer | number = Math.max(MIN_CAPACITY, this.#lastSize);
    // A segment that will likely grow to full size starts with a full Buffer (a recycled one
    // if any): starting at the last size, just under the limit, would cost one more 1 MB
    // allocation and copy per request when the last records overflow the 3-bytes-per-unit
    // estimate and the Buffer has to grow.
    if (capacity * 2 > this.#maxBytes) capacity = this.#pool.pop() ?? this.#maxBytes;
    this.#open = new Segment(seq, this.#maxBytes, capacity, this.#resized);
    return this.#open;
  }

  #seal(): void {
    const open = this.#open;
    if (!open) return;
    open.commit();
    open.sealed = true;
    this.#open = undefined;
    this.#lastSize = open.size;
    if (open.count === 0) return;
    this.#sealed.push(open);
    this.#onSeal?.(open);
  }
}
