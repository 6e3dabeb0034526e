/**
 * The rows of one table in memory: a FIFO bounded to `max` rows, kept in chunks so that both
 * appending and evicting cost O(rows appended), whatever the size of the table (splicing the
 * head off one big array would move every kept row on each append once the table is full).
 */

/** Rows per chunk: large enough that a table of a million rows is ~100 chunks. */
const CHUNK_ROWS = 8192;

export class RowBuffer<T> {
  readonly #max: number;
  /** Chunks in order; `#chunks[#first]` is the oldest one still holding rows. */
  #chunks: Array<Array<T | undefined>> = [];
  #first = 0;
  /** Index of the oldest kept row in the first chunk (the slots before it are cleared). */
  #head = 0;
  #size = 0;
  #received = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /** Rows kept now (at most `max`). */
  get size(): number {
    return this.#size;
  }

  /** Rows appended since creation, evicted ones included. */
  get received(): number {
    return this.#received;
  }

  push(rows: ReadonlyArray<T>): void {
    this.#received += rows.length;
    let tail = this.#chunks[this.#chunks.length - 1];
    for (const row of rows) {
      if (tail === undefined || tail.length >= CHUNK_ROWS || this.#chunks.length === this.#first) {
        tail = [];
        this.#chunks.push(tail);
      }
      tail.push(row);
    }
    this.#size += rows.length;
    if (this.#size > this.#max) this.#evict(this.#size - this.#max);
  }

  #evict(count: number): void {
    let left = count;
    while (left > 0) {
      const chunk = this.#chunks[this.#first]!;
      const live = chunk.length - this.#head;
      if (live <= left) {
        // The whole chunk goes: drop the reference, the rows become garbage at once.
        this.#chunks[this.#first] = [];
        this.#first++;
        this.#head = 0;
        left -= live;
      } else {
        chunk.fill(undefined, this.#head, this.#head + left);
        this.#head += left;
        left = 0;
      }
    }
    this.#size -= count;
    // Compact the chunk list now and then so it does not grow with the number of appends.
    if (this.#first > 64 && this.#first * 2 > this.#chunks.length) {
      this.#chunks = this.#chunks.slice(this.#first);
      this.#first = 0;
    }
  }

  /** Kept rows, oldest first. */
  *[Symbol.iterator](): IterableIterator<T> {
    for (let c = this.#first; c < this.#chunks.length; c++) {
      const chunk = this.#chunks[c]!;
      for (let i = c === this.#first ? this.#head : 0; i < chunk.length; i++) yield chunk[i] as T;
    }
  }
}
