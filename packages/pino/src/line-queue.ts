/**
 * Text waits here between the stream's `write` and the mapper, cut into lines a slice per
 * event-loop turn.
 *
 * The stream keeps whole chunks (one array push per chunk, not per line) and accepts each at
 * once: in worker mode thread-stream's read loop then takes the next chunk without waiting, and
 * the main thread's `logger.flush(cb)`, which polls with setImmediate until the worker has read
 * everything it wrote, does not keep the application's thread spinning (and off the CPU the
 * worker and the network need). Mapping a slice per turn also leaves room for HTTP callbacks.
 *
 *   write(chunk) ──push──► [ chunk, chunk, … ] ──setImmediate: up to SLICE lines──► handle(line)
 *                                  └─ a line cut by a chunk boundary waits for the next chunk
 *
 * Positions: every chunk advances the queue's position by its size (in the writer's units, so
 * that text still buffered in front of the queue can be added to it). A flush notes the position
 * at its call and is called back, from inside the loop above, as soon as every chunk up to there
 * was cut into lines and each complete line handled: lines written after it are not waited for.
 * A line cut by a chunk boundary is not written yet until its newline arrives.
 */

/** Lines mapped per event-loop turn. */
const SLICE = 4096;

const CARRIAGE_RETURN = 13;

interface Waiter {
  readonly position: number;
  readonly callback: () => void;
}

export class LineQueue {
  readonly #handle: (line: string) => void;
  #chunks: string[] = [];
  /** The position at the end of each queued chunk. */
  #ends: number[] = [];
  #head = 0;
  /** Where the next line of the head chunk starts. */
  #at = 0;
  /** The start of a line whose end is in a later chunk. */
  #partial = '';
  /** The position of everything pushed. */
  #received = 0;
  /** Every chunk up to this position was cut into lines and each complete line handled. */
  #handled = 0;
  /** Pending `whenHandled` calls, by position (positions only grow, so in order). */
  #waiters: Waiter[] = [];
  /** After `drainAll`: nothing more will be handled. */
  #ended = false;
  #scheduled = false;
  readonly #run = (): void => this.#drainSlice();

  constructor(handle: (line: string) => void) {
    this.#handle = handle;
  }

  /** Every complete line pushed so far was handled (a trailing partial line is not one yet). */
  get empty(): boolean {
    return this.#head === this.#chunks.length;
  }

  /** The position after the last chunk pushed. */
  get position(): number {
    return this.#received;
  }

  /**
   * Queues a chunk. `size` is what it counts for in positions (default its length; a chunk
   * decoded from bytes counts its bytes, even when a split character leaves it empty).
   */
  push(chunk: string, size: number = chunk.length): void {
    if (chunk.length === 0 && size === 0) return;
    this.#received += size;
    this.#chunks.push(chunk);
    this.#ends.push(this.#received);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#run);
    }
  }

  /**
   * Calls `callback` once every complete line up to `position` was handled: now if it already
   * was (or the queue was drained for good), else from the loop that handles the last of them,
   * before the next line is handled.
   */
  whenHandled(position: number, callback: () => void): void {
    if (this.#ended || position <= this.#handled) {
      callback();
      return;
    }
    this.#waiters.push({ position, callback });
  }

  /**
   * Handles every queued line now, and the last line even without its newline (at close);
   * then calls every waiting `whenHandled` callback, since nothing more will be handled.
   */
  drainAll(): void {
    this.#lines(Number.POSITIVE_INFINITY);
    const last = this.#partial;
    this.#partial = '';
    if (last !== '') this.#handle(trimCarriageReturn(last, last.length));
    this.#ended = true;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.callback();
  }

  #drainSlice(): void {
    this.#scheduled = false;
    this.#lines(SLICE);
    if (!this.empty && !this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#run);
    }
  }

  /** Handles up to `limit` lines. */
  #lines(limit: number): void {
    const chunks = this.#chunks;
    let done = 0;
    while (this.#head < chunks.length && done < limit) {
      let text = chunks[this.#head]!;
      if (this.#partial !== '') {
        text = this.#partial + text;
        chunks[this.#head] = text;
        this.#partial = '';
      }
      let at = this.#at;
      let nl = text.indexOf('\n', at);
      while (nl >= 0 && done < limit) {
        this.#handle(trimCarriageReturn(text.slice(at, nl), nl - at));
        done++;
        at = nl + 1;
        nl = text.indexOf('\n', at);
      }
      if (nl >= 0) {
        this.#at = at; // the slice is full: resume in this chunk
        return;
      }
      if (at < text.length) this.#partial = text.slice(at);
      this.#at = 0;
      this.#passed(this.#ends[this.#head]!);
      this.#head++;
    }
    // A head index, not shift(): reset the arrays once everything queued was handled.
    if (this.#head === chunks.length) {
      this.#chunks = [];
      this.#ends = [];
      this.#head = 0;
    }
  }

  /** The chunks up to `position` are done: call the waiters they were holding. */
  #passed(position: number): void {
    this.#handled = position;
    const waiters = this.#waiters;
    if (waiters.length === 0 || waiters[0]!.position > position) return;
    let n = 1;
    while (n < waiters.length && waiters[n]!.position <= position) n++;
    const due = waiters.splice(0, n);
    for (const w of due) w.callback();
  }
}

/** `\r\n` line ends (a file piped to the CLI) lose their `\r`, as with split2's `/\r?\n/`. */
function trimCarriageReturn(line: string, length: number): string {
  return length > 0 && line.charCodeAt(length - 1) === CARRIAGE_RETURN
    ? line.slice(0, length - 1)
    : line;
}
