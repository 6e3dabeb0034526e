/**
 * A FIFO in fixed-size circular chunks, in the manner of undici's
 * `lib/dispatcher/fixed-queue.js`: push and shift are O(1) (`Array#shift` on a big array is
 * O(n) per call) and a drained chunk is released to the GC.
 *
 *   head chunk                        tail chunk
 *   [ . . x x x x ] --next--> ... --> [ x x x . . . ]
 *         ^bottom                           ^top
 */

const CHUNK_SIZE = 2048;
const MASK = CHUNK_SIZE - 1;

class Chunk<T> {
  readonly list: (T | undefined)[] = new Array(CHUNK_SIZE);
  bottom = 0;
  top = 0;
  next: Chunk<T> | undefined;

  isFull(): boolean {
    return ((this.top + 1) & MASK) === this.bottom;
  }

  isEmpty(): boolean {
    return this.top === this.bottom;
  }
}

export class Fifo<T> {
  #head = new Chunk<T>();
  #tail = this.#head;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    let tail = this.#tail;
    if (tail.isFull()) {
      tail = new Chunk<T>();
      this.#tail.next = tail;
      this.#tail = tail;
    }
    tail.list[tail.top] = item;
    tail.top = (tail.top + 1) & MASK;
    this.#length++;
  }

  peek(): T | undefined {
    const head = this.#head;
    return head.isEmpty() ? undefined : head.list[head.bottom];
  }

  shift(): T | undefined {
    const head = this.#head;
    if (head.isEmpty()) return undefined;
    const item = head.list[head.bottom] as T;
    head.list[head.bottom] = undefined;
    head.bottom = (head.bottom + 1) & MASK;
    if (head.isEmpty() && head.next) this.#head = head.next;
    this.#length--;
    return item;
  }
}
