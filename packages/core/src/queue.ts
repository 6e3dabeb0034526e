/**
 * The record queue: a FIFO of serialized records in fixed-size circular chunks, in the manner
 * of undici's `lib/dispatcher/fixed-queue.js`. `Array#shift` on a big array is O(n) per call;
 * here push and shift are O(1) and a drained chunk is released to the GC.
 *
 *   head chunk                        tail chunk
 *   [ . . x x x x ] --next--> ... --> [ x x x . . . ]
 *         ^bottom                           ^top
 */

/** One serialized record: its JSON text, its UTF-8 size and its acceptance number. */
export interface QueuedRecord {
  readonly text: string;
  readonly bytes: number;
  /** Monotonic acceptance number; flush() waits for every record up to a given `seq`. */
  readonly seq: number;
}

const CHUNK_SIZE = 2048;
const MASK = CHUNK_SIZE - 1;

class Chunk {
  readonly list: (QueuedRecord | undefined)[] = new Array(CHUNK_SIZE);
  bottom = 0;
  top = 0;
  next: Chunk | undefined;

  isFull(): boolean {
    return ((this.top + 1) & MASK) === this.bottom;
  }

  isEmpty(): boolean {
    return this.top === this.bottom;
  }
}

/** FIFO of records that also keeps their count and total bytes. */
export class RecordQueue {
  #head = new Chunk();
  #tail = this.#head;
  #length = 0;
  #bytes = 0;

  get length(): number {
    return this.#length;
  }

  /** Sum of the records' UTF-8 sizes (separators not included). */
  get bytes(): number {
    return this.#bytes;
  }

  push(record: QueuedRecord): void {
    let tail = this.#tail;
    if (tail.isFull()) {
      tail = new Chunk();
      this.#tail.next = tail;
      this.#tail = tail;
    }
    tail.list[tail.top] = record;
    tail.top = (tail.top + 1) & MASK;
    this.#length++;
    this.#bytes += record.bytes;
  }

  peek(): QueuedRecord | undefined {
    const head = this.#head;
    return head.isEmpty() ? undefined : head.list[head.bottom];
  }

  shift(): QueuedRecord | undefined {
    const head = this.#head;
    if (head.isEmpty()) return undefined;
    const record = head.list[head.bottom] as QueuedRecord;
    head.list[head.bottom] = undefined;
    head.bottom = (head.bottom + 1) & MASK;
    if (head.isEmpty() && head.next) {
      this.#head = head.next;
    }
    this.#length--;
    this.#bytes -= record.bytes;
    return record;
  }

  /** Removes and returns every record (used when the client gives up on them). */
  drain(): QueuedRecord[] {
    const out: QueuedRecord[] = [];
    for (let r = this.shift(); r !== undefined; r = this.shift()) out.push(r);
    return out;
  }
}
