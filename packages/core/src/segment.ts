/**
 * The records of one future request, written as UTF-8 straight into one Buffer as they are
 * pushed: `[` r0 `,` r1 `,` … (the closing `]` is written when the batch leaves). Compared
 * with a queue of strings joined at send time, the record strings die young (no old-generation
 * copies of every log line), the byte size comes from `buf.write` for free, and the body needs
 * no join and no second encoding pass: gzip reads this Buffer directly.
 *
 *   buf: [ r0 , r1 , r2 , r3 ……          ]   ends[i] = end offset (exclusive) of record i
 *           ^head (records before it were dropped by the overflow policy)
 *
 * The Buffer starts small and grows by doubling up to maxBatchBytes, so a trickle of logs does
 * not pin 1 MB; under load, full-size Buffers of delivered batches are reused (see Batcher), so
 * a steady stream allocates no new memory per batch.
 */

const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const COMMA = 0x2c;
/** The first Buffer of a segment when no hint says the traffic is heavier. */
export const MIN_CAPACITY = 64 * 1024;

export class Segment {
  /** Acceptance number of record 0; record i has `firstSeq + i`. */
  readonly firstSeq: number;
  readonly ends: number[] = [];
  /** First record not dropped. */
  head = 0;
  /** Sum of the sizes of records head…end. */
  bytes = 0;
  /** No more records go in (full, or taken for sending). */
  sealed = false;
  /** Batches still using this segment's Buffer (a 413 split makes two). */
  refs = 0;
  #buf: Buffer;
  #offset = 1;
  readonly #max: number;

  /** `buffer`: a recycled Buffer, or the capacity of a new one. */
  constructor(firstSeq: number, maxBatchBytes: number, buffer: Buffer | number) {
    this.firstSeq = firstSeq;
    this.#max = maxBatchBytes;
    this.#buf =
      typeof buffer === 'number' ? Buffer.allocUnsafe(Math.min(maxBatchBytes, buffer)) : buffer;
    this.#buf[0] = OPEN;
  }

  /** Bytes written so far (brackets and commas included). */
  get size(): number {
    return this.#offset + 1;
  }

  /** The Buffer, for reuse once no batch needs it; only full-size ones are worth keeping. */
  release(): Buffer | undefined {
    return this.#buf.length === this.#max ? this.#buf : undefined;
  }

  /** Records not dropped. */
  get count(): number {
    return this.ends.length - this.head;
  }

  /**
   * Appends one record; returns its UTF-8 size, or -1 when it does not fit in this request
   * (`known` is its size when the caller already measured it, else -1).
   */
  append(text: string, known: number): number {
    const pos = this.ends.length === 0 ? 1 : this.#offset + 1;
    let bytes = known;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: when that fits, write without measuring.
    if (bytes < 0 && pos + text.length * 3 + 1 <= this.#buf.length) {
      bytes = this.#buf.write(text, pos, 'utf8');
    } else {
      if (bytes < 0) bytes = Buffer.byteLength(text, 'utf8');
      if (pos + bytes + 1 > this.#max) return -1;
      this.#reserve(pos + bytes + 1);
      this.#buf.write(text, pos, 'utf8');
    }
    if (pos > 1) this.#buf[pos - 1] = COMMA;
    this.#offset = pos + bytes;
    this.ends.push(this.#offset);
    this.bytes += bytes;
    return bytes;
  }

  /** Drops the oldest live record; returns its text and size. */
  dropHead(): { text: string; bytes: number } | undefined {
    if (this.head >= this.ends.length) return undefined;
    const text = this.text(this.head);
    const bytes = this.recordBytes(this.head);
    this.head++;
    this.bytes -= bytes;
    return { text, bytes };
  }

  start(i: number): number {
    return i === 0 ? 1 : (this.ends[i - 1] as number) + 1;
  }

  recordBytes(i: number): number {
    return (this.ends[i] as number) - this.start(i);
  }

  text(i: number): string {
    return this.#buf.toString('utf8', this.start(i), this.ends[i]);
  }

  /** The JSON array of records `from`…`to` (exclusive), in place when it covers head…end. */
  body(from: number, to: number): Buffer {
    if (to === this.ends.length && from < to) {
      const begin = this.start(from) - 1;
      const end = this.ends[to - 1] as number;
      // The byte before record `from` is `[` or a `,` of a dropped record: overwrite it.
      this.#buf[begin] = OPEN;
      this.#buf[end] = CLOSE;
      return this.#buf.subarray(begin, end + 1);
    }
    const parts: Buffer[] = [Buffer.from('[')];
    for (let i = from; i < to; i++) {
      if (i > from) parts.push(Buffer.from(','));
      parts.push(this.#buf.subarray(this.start(i), this.ends[i]));
    }
    parts.push(Buffer.from(']'));
    return Buffer.concat(parts);
  }

  #reserve(size: number): void {
    if (size <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.min(this.#max, Math.max(size, this.#buf.length * 2)));
    this.#buf.copy(next, 0, 0, this.#offset);
    this.#buf = next;
  }
}
