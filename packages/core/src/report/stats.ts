/**
 * Mutable counters behind `IngestionClient.stats()`. The snapshot is a fresh object so callers
 * can keep it and compare later ones.
 */
import type { IngestionStats } from '../types.js';

export class StatsCounter {
  accepted = 0;
  delivered = 0;
  rejected = 0;
  dropped = 0;
  retried = 0;
  bytesRaw = 0;
  bytesGzipped = 0;
  bufferedBytes = 0;
  inFlight = 0;
  /** Errors thrown by the `onError` hook (counted and ignored). */
  hookErrors = 0;
  /** Records and bytes in spool files now; records taken over from earlier processes. */
  spooled = 0;
  spoolBytes = 0;
  replayed = 0;
  readonly #requests = new Map<string, number>();

  /** Counts a request by status, or under `'network'` / `'timeout'` when no answer came. */
  countRequest(key: string): void {
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
  }

  snapshot(): IngestionStats {
    return {
      accepted: this.accepted,
      delivered: this.delivered,
      rejected: this.rejected,
      dropped: this.dropped,
      retried: this.retried,
      requests: Object.fromEntries(this.#requests),
      bytesRaw: this.bytesRaw,
      bytesGzipped: this.bytesGzipped,
      bufferedBytes: this.bufferedBytes,
      inFlight: this.inFlight,
      hookErrors: this.hookErrors,
      spooled: this.spooled,
      spoolBytes: this.spoolBytes,
      replayed: this.replayed,
    };
  }
}
