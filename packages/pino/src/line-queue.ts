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
 */

/** Lines mapped per event-loop turn. */
const SLICE = 4096;

const CARRIAGE_RETURN = 13;

export class LineQueue {
  readonly #handle: (line: string) => void;
  #chunks: string[] = [];
  #head = 0;
  /** Where the next line of the head chunk starts. */
  #at = 0;
  /** The start of a line whose end is in a later chunk. */
  #partial = '';
  #scheduled = false;
  readonly #run = (): void => this.#drainSlice();

  constructor(handle: (line: string) => void) {
    this.#handle = handle;
  }

  /** Every complete line pushed so far was handled (a trailing partial line is not one yet). */
  get empty(): boolean {
    return this.#head === this.#chunks.length;
  }

  push(chunk: string): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#run);
    }
  }

  /** Handles every queued line now, and the last line even without its newline (at close). */
  drainAll(): void {
    this.#lines(Number.POSITIVE_INFINITY);
    const last = this.#partial;
    this.#partial = '';
    if (last !== '') this.#handle(trimCarriageReturn(last, last.length));
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
      this.#head++;
    }
    // A head index, not shift(): reset the array once everything queued was handled.
    if (this.#head === chunks.length) {
      this.#chunks = [];
      this.#head = 0;
    }
  }
}

/** `\r\n` line ends (a file piped to the CLI) lose their `\r`, as with split2's `/\r?\n/`. */
function trimCarriageReturn(line: string, length: number): string {
  return length > 0 && line.charCodeAt(length - 1) === CARRIAGE_RETURN
    ? line.slice(0, length - 1)
    : line;
}
