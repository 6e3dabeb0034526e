/**
 * The progress line of `send` on a terminal, redrawn in place a few times a second: records
 * read and delivered, bytes read, the delivery rate, errors, and, for files, the time left.
 * The timer is unref'd: it never keeps the process alive.
 */

import type { LineInput } from '../input.js';
import { bytes, count, type Printer } from '../io.js';
import type { Sink } from './sinks.js';

const EVERY_MS = 250;

function seconds(s: number): string {
  if (!Number.isFinite(s)) return '…';
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export interface ProgressParts {
  readonly out: Printer;
  readonly input: LineInput;
  readonly sink: Sink;
  /** Lines read so far, and lines refused (not records). */
  readonly lines: () => { read: number; invalid: number };
}

export class Progress {
  readonly #parts: ProgressParts;
  readonly #started = performance.now();
  #timer: NodeJS.Timeout | undefined;

  constructor(parts: ProgressParts) {
    this.#parts = parts;
  }

  start(): void {
    this.#draw();
    this.#timer = setInterval(() => this.#draw(), EVERY_MS);
    this.#timer.unref();
  }

  /** Stops and clears the line. */
  stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#parts.out.raw('\r\u001b[K');
  }

  /** The line as it stands (without the redraw codes). */
  text(): string {
    const { input, sink, lines } = this.#parts;
    const s = sink.stats();
    const elapsed = (performance.now() - this.#started) / 1000;
    const { read, invalid } = lines();
    const errors = s.rejected + s.dropped + invalid;
    const rate = elapsed > 0 ? s.delivered / elapsed : 0;
    const parts = [
      `${count(read)} read, ${count(s.delivered)} delivered`,
      bytes(input.bytesRead()),
      `${count(Math.round(rate))} records/s`,
      `${count(errors)} error${errors === 1 ? '' : 's'}`,
    ];
    const total = input.totalBytes;
    if (total !== undefined && total > 0 && input.bytesRead() > 0) {
      const left = ((total - input.bytesRead()) / input.bytesRead()) * elapsed;
      parts.push(`ETA ${seconds(left)}`);
    }
    return parts.join(' · ');
  }

  #draw(): void {
    this.#parts.out.raw(`\r\u001b[K${this.text()}`);
  }
}
