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
 * not pin 1 MB; under load, full-size Buffers of delivered batches are reused (see SegmentQueue), so
 * a steady stream allocates no new memory per batch.
 *
 * Records that surely fit are first staged, up to STAGE_RECORDS of them, and written together:
 * one `join` and one UTF-8 write for the group instead of a flatten and a native call per
 * record (an adapter's record is a rope of a dozen pieces; bench/record-write.mjs measures the
 * difference). A staged record counts its UTF-16 length as its size until the group is written;
 * then the exact sizes are known, and any difference (non-ASCII text) goes to `onResize`.
 */

const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const COMMA = 0x2c;
/**
 * `buf.write(text, offset, 'utf8')` without its argument parsing: Node's Buffers have an
 * undocumented `utf8Write(text, offset)`, which is what `write` ends in (protobufjs and
 * msgpackr call it the same way, with the same fallback). A runtime without it gets `write`.
 */
type Utf8Write = (buf: Buffer, text: string, offset: number) => number;
const writeUtf8: Utf8Write =
  typeof (Buffer.prototype as { utf8Write?: unknown }).utf8Write === 'function'
    ? (buf, text, offset) =>
        (buf as Buffer & { utf8Write(text: string, offset: number): number }).utf8Write(
          text,
          offset,
        )
    : (buf, text, offset) => buf.write(text, offset, 'utf8');

/** Records written in one group (past ~64 the saving per record no longer grows). */
const STAGE_RECORDS = 64;

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
  /** Records staged, not yet written (see the header). */
  #stage: string[] = [];
  /** Their UTF-16 length, and the bytes they may take at most (3 per unit, plus commas). */
  #stageChars = 0;
  #stageUpper = 0;
  readonly #onResize: ((delta: number) => void) | undefined;

  /**
   * `buffer`: a recycled Buffer, or the capacity of a new one. `onResize` hears how far the
   * exact sizes of a staged group differ from the sizes `stage()` returned.
   */
  constructor(
    firstSeq: number,
    maxBatchBytes: number,
    buffer: Buffer | number,
    onResize?: (delta: number) => void,
  ) {
    this.firstSeq = firstSeq;
    this.#max = maxBatchBytes;
    this.#onResize = onResize;
    this.#buf =
      typeof buffer === 'number' ? Buffer.allocUnsafe(Math.min(maxBatchBytes, buffer)) : buffer;
    this.#buf[0] = OPEN;
  }

  /**
   * A sealed segment over a request body read back from the spool (`[` r0 `,` r1 … `]`, every
   * record's UTF-8 size given).
   */
  static fromBody(
    firstSeq: number,
    maxBatchBytes: number,
    body: Buffer,
    sizes: readonly number[],
  ): Segment {
    const segment = new Segment(firstSeq, maxBatchBytes, body);
    let end = 0;
    for (const size of sizes) {
      end += 1 + size;
      segment.ends.push(end);
      segment.bytes += size;
    }
    segment.#offset = Math.max(1, end);
    segment.sealed = true;
    return segment;
  }

  /** The Buffer the records are written into (read by the spool, which copies what it needs). */
  get buffer(): Buffer {
    return this.#buf;
  }

  /** Bytes written so far (brackets and commas included; staged records once written). */
  get size(): number {
    this.commit();
    return this.#offset + 1;
  }

  /** The Buffer, for reuse once no batch needs it; only full-size ones are worth keeping. */
  release(): Buffer | undefined {
    return this.#buf.length === this.#max ? this.#buf : undefined;
  }

  /** Records not dropped, staged ones included. */
  get count(): number {
    return this.ends.length + this.#stage.length - this.head;
  }

  /**
   * Stages one record (its size unmeasured) when it surely fits in the Buffer as it is; returns
   * its UTF-16 length (its size if it is ASCII), or -1: then `append` it.
   */
  stage(text: string): number {
    if (this.#stage.length === STAGE_RECORDS) this.commit();
    const upper = text.length * 3 + 1;
    const start = this.ends.length === 0 ? 1 : this.#offset + 1;
    // `]` must still fit after the group: start + group + this record (+ its comma) + 1.
    if (start + this.#stageUpper + upper + 1 > this.#buf.length) return -1;
    this.#stage.push(text);
    this.#stageChars += text.length;
    this.#stageUpper += upper;
    this.bytes += text.length;
    return text.length;
  }

  /** Writes the staged records; `ends`, `bytes` and `size` are then exact. */
  commit(): void {
    const stage = this.#stage;
    const n = stage.length;
    if (n === 0) return;
    let pos = this.ends.length === 0 ? 1 : this.#offset + 1;
    const written = writeUtf8(this.#buf, n === 1 ? (stage[0] as string) : stage.join(','), pos);
    if (pos > 1) this.#buf[pos - 1] = COMMA;
    // UTF-8 takes one byte per UTF-16 unit only for ASCII: then each size is its length.
    const ascii = written === this.#stageChars + n - 1;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const text = stage[i] as string;
      const bytes = ascii ? text.length : Buffer.byteLength(text, 'utf8');
      pos += bytes;
      this.ends.push(pos);
      total += bytes;
      pos++;
    }
    this.#offset = pos - 1;
    const delta = total - this.#stageChars;
    this.#stage = [];
    this.#stageChars = 0;
    this.#stageUpper = 0;
    if (delta !== 0) {
      this.bytes += delta;
      this.#onResize?.(delta);
    }
  }

  /**
   * Appends one record; returns its UTF-8 size, or -1 when it does not fit in this request
   * (`known` is its size when the caller already measured it, else -1).
   */
  append(text: string, known: number): number {
    this.commit();
    const pos = this.ends.length === 0 ? 1 : this.#offset + 1;
    let bytes = known;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: when that fits, write without measuring.
    if (bytes < 0 && pos + text.length * 3 + 1 <= this.#buf.length) {
      bytes = writeUtf8(this.#buf, text, pos);
    } else {
      if (bytes < 0) bytes = Buffer.byteLength(text, 'utf8');
      if (pos + bytes + 1 > this.#max) return -1;
      this.#reserve(pos + bytes + 1);
      writeUtf8(this.#buf, text, pos);
    }
    if (pos > 1) this.#buf[pos - 1] = COMMA;
    this.#offset = pos + bytes;
    this.ends.push(this.#offset);
    this.bytes += bytes;
    return bytes;
  }

  /**
   * Appends record `i` of `other` as bytes (copied, never decoded); returns its size, or -1 when
   * it does not fit in this request. For merging small requests into one (see merge.ts).
   */
  copyFrom(other: Segment, i: number): number {
    this.commit();
    other.commit();
    const from = other.start(i);
    const end = other.ends[i] as number;
    const bytes = end - from;
    const pos = this.ends.length === 0 ? 1 : this.#offset + 1;
    if (pos + bytes + 1 > this.#max) return -1;
    this.#reserve(pos + bytes + 1);
    other.#buf.copy(this.#buf, pos, from, end);
    if (pos > 1) this.#buf[pos - 1] = COMMA;
    this.#offset = pos + bytes;
    this.ends.push(this.#offset);
    this.bytes += bytes;
    return bytes;
  }

  /** Drops the oldest live record; returns its text and size. */
  dropHead(): { text: string; bytes: number } | undefined {
    this.commit();
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
    this.commit();
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
