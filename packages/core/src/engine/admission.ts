/**
 * The byte checks of `push()`: measure a record's UTF-8 size only when it may matter, refuse
 * a record that can never fit in a request, and apply the overflow policy when the byte budget
 * is full. Refusals go to `DeferredReports` (aggregated, reported after the log call returns).
 */

import { type ErrorCode, ErrorCodes } from '../errors.js';
import type { DeferredReports } from '../report/deferred-reports.js';
import type { StatsCounter } from '../report/stats.js';
import type { Spool } from '../spool/spool.js';
import type { ResolvedConfig } from '../types.js';
import { fitsAlone, type SegmentQueue } from './segment-queue.js';

/** What `Admission.check` returns for a refused record. */
export const REFUSED = -2;

export class Admission {
  readonly #config: ResolvedConfig;
  readonly #stats: StatsCounter;
  readonly #queue: SegmentQueue;
  readonly #reports: DeferredReports;
  readonly #spool: Spool | undefined;

  /** With a `spool`, a full budget first sends what is on disk already out of memory. */
  constructor(
    config: ResolvedConfig,
    stats: StatsCounter,
    queue: SegmentQueue,
    reports: DeferredReports,
    spool?: Spool,
  ) {
    this.#config = config;
    this.#stats = stats;
    this.#queue = queue;
    this.#reports = reports;
    this.#spool = spool;
  }

  /**
   * Checks one record against the limits (hot path: no allocation when it is admitted).
   * Returns its UTF-8 size, -1 when admitted without measuring (the batcher measures it while
   * writing), or `REFUSED`.
   */
  check(text: string, known: number): number {
    const { maxBatchBytes, maxBufferBytes } = this.#config;
    const buffered = this.#stats.bufferedBytes;
    let bytes = known;
    // UTF-8 takes 1 to 3 bytes per UTF-16 unit: measure only when near a limit.
    const upper = text.length * 3;
    if (bytes < 0 && (upper + 2 > maxBatchBytes || buffered + upper > maxBufferBytes)) {
      bytes = Buffer.byteLength(text, 'utf8');
    }
    if (bytes < 0) return bytes;
    if (!fitsAlone(bytes, maxBatchBytes)) return this.#tooLarge(text, bytes);
    if (buffered + bytes > maxBufferBytes && !this.#makeRoom(bytes)) {
      this.refuse(ErrorCodes.BUFFER_OVERFLOW, text, bytes, this.#overflowReason());
      return REFUSED;
    }
    return bytes;
  }

  /** Reports a record refused inside push() (deferred, aggregated). Returns false. */
  refuse(code: ErrorCode, text: string, bytes: number, reason: string, hint?: string): false {
    this.#reports.add(code, text, bytes, reason, hint);
    return false;
  }

  #tooLarge(text: string, bytes: number): number {
    const max = this.#config.maxBatchBytes;
    const hint = `a record of ${bytes} bytes cannot fit in a request body of at most ${max} bytes (maxBatchBytes, 2 bytes go to the brackets); shrink the record`;
    this.refuse(ErrorCodes.RECORD_TOO_LARGE, text, bytes, 'record too large for one request', hint);
    return REFUSED;
  }

  #overflowReason(): string {
    return `buffer full, policy ${this.#config.overflow}`;
  }

  /**
   * Spool: queued segments already on disk leave memory. drop-oldest: drops queued (never
   * in-flight, never on their way to disk) records until `bytes` fit.
   */
  #makeRoom(bytes: number): boolean {
    const stats = this.#stats;
    const max = this.#config.maxBufferBytes;
    const spool = this.#spool;
    spool?.evict(bytes);
    if (stats.bufferedBytes + bytes <= max) return true;
    if (this.#config.overflow !== 'drop-oldest') return false;
    while (stats.bufferedBytes + bytes > max) {
      const head = this.#queue.peek();
      if (spool && head && !spool.droppable(head)) break;
      const old = this.#queue.dropOldest();
      if (!old) break;
      stats.bufferedBytes -= old.bytes;
      this.refuse(ErrorCodes.BUFFER_OVERFLOW, old.text, old.bytes, this.#overflowReason());
    }
    return stats.bufferedBytes + bytes <= max;
  }
}
