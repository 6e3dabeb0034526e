/**
 * The rows of one table in memory: a FIFO bounded to `max` rows, kept as the batches they came
 * in, so that appending and evicting cost O(1) per batch whatever the size of the table (splicing
 * the head off one big array would move every kept row on each append once the table is full).
 *
 * A batch whose rows are exactly its body's records (nothing dropped, converted or replaced,
 * `source` transform) is kept as the body's JSON text and parsed again when read: one string
 * instead of ~20 objects per row, which halves the memory and spares the garbage collector
 * from copying every stored row out of the young generation. Tests read far less than they write.
 */

/** One appended batch: its rows as objects, or as the JSON text of an array of them. */
interface Batch<T> {
  readonly count: number;
  /** Rows of this batch evicted already (the oldest ones). */
  skip: number;
  readonly rows: Array<T | undefined> | undefined;
  readonly text: string | undefined;
  /** Called on each row parsed from `text` (e.g. to stamp the receive time). */
  readonly finish: ((row: T) => T) | undefined;
}

/** How a caller reads a batch: objects (copy them), or fresh rows parsed from text. */
export interface BatchView<T> {
  readonly rows: ReadonlyArray<T>;
  /** True when `rows` are stored objects (the caller must copy before handing them out). */
  readonly shared: boolean;
}

export class RowBuffer<T> {
  readonly #max: number;
  /** Batches in order; `#batches[#first]` is the oldest one still holding rows. */
  #batches: Array<Batch<T> | undefined> = [];
  #first = 0;
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

  /** Append rows as objects (the array is kept: the caller gives it up). */
  push(rows: Array<T | undefined>): void {
    this.#add({ count: rows.length, skip: 0, rows, text: undefined, finish: undefined });
  }

  /** Append `count` rows held as the JSON text of an array; `finish` completes each parsed row. */
  pushText(text: string, count: number, finish: (row: T) => T): void {
    this.#add({ count, skip: 0, rows: undefined, text, finish });
  }

  #add(batch: Batch<T>): void {
    if (batch.count === 0) return;
    this.#batches.push(batch);
    this.#received += batch.count;
    this.#size += batch.count;
    if (this.#size > this.#max) this.#evict(this.#size - this.#max);
  }

  #evict(count: number): void {
    let left = count;
    while (left > 0) {
      const batch = this.#batches[this.#first]!;
      const live = batch.count - batch.skip;
      if (live <= left) {
        this.#batches[this.#first] = undefined;
        this.#first++;
        left -= live;
      } else {
        // Release evicted objects now; a text batch is released once all of it is evicted.
        batch.rows?.fill(undefined, batch.skip, batch.skip + left);
        batch.skip += left;
        left = 0;
      }
    }
    this.#size -= count;
    // Compact the list now and then so it does not grow with the number of appends.
    if (this.#first > 64 && this.#first * 2 > this.#batches.length) {
      this.#batches = this.#batches.slice(this.#first);
      this.#first = 0;
    }
  }

  /** Kept batches, oldest first, with their kept rows (text batches parsed now). */
  *batches(): IterableIterator<BatchView<T>> {
    for (let b = this.#first; b < this.#batches.length; b++) {
      const batch = this.#batches[b]!;
      if (batch.rows) {
        yield { rows: batch.rows.slice(batch.skip) as T[], shared: true };
      } else {
        const parsed = JSON.parse(batch.text!) as T[];
        const rows = batch.skip > 0 ? parsed.slice(batch.skip) : parsed;
        yield { rows: rows.map(batch.finish!), shared: false };
      }
    }
  }
}
