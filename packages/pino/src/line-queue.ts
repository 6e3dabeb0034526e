/**
 * Lines wait here between pino's stream and the mapper, processed a slice per event-loop turn.
 *
 * In worker mode this lets thread-stream's read loop take each chunk at once: the main thread's
 * `logger.flush(cb)` polls with setImmediate until the worker has read everything it wrote, so a
 * worker that maps while it reads keeps the application's thread spinning (and off the CPU the
 * worker and the network need). Mapping a slice per turn also leaves room for HTTP callbacks.
 *
 *   split2 'data' ──push──► [ line, line, … ] ──setImmediate: up to SLICE lines──► handle(line)
 */

/** Lines mapped per event-loop turn. */
const SLICE = 4096;

export class LineQueue {
  readonly #handle: (line: string) => void;
  #lines: string[] = [];
  #head = 0;
  #scheduled = false;
  readonly #run = (): void => this.#drainSlice();

  constructor(handle: (line: string) => void) {
    this.#handle = handle;
  }

  get empty(): boolean {
    return this.#head === this.#lines.length;
  }

  push(line: string): void {
    this.#lines.push(line);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#run);
    }
  }

  /** Maps every queued line now (before close). */
  drainAll(): void {
    while (!this.empty) this.#slice(this.#lines.length);
  }

  #drainSlice(): void {
    this.#scheduled = false;
    this.#slice(Math.min(this.#lines.length, this.#head + SLICE));
    if (!this.empty && !this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#run);
    }
  }

  #slice(end: number): void {
    const lines = this.#lines;
    while (this.#head < end) {
      const line = lines[this.#head]!;
      this.#head++;
      this.#handle(line);
    }
    // A head index, not shift(): reset the array once everything queued was handled.
    if (this.#head === lines.length) {
      this.#lines = [];
      this.#head = 0;
    }
  }
}
