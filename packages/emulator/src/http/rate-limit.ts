/**
 * Per-rule rate limits, as Azure applies them per DCR: requests and bytes per minute. Fixed
 * one-minute windows on the injected clock; the answer beyond them is 429 with `Retry-After`
 * (the seconds left in the window).
 */

/** Azure's documented defaults. */
export const DEFAULT_REQUESTS_PER_MINUTE = 12_000;
export const DEFAULT_BYTES_PER_MINUTE = 2 * 1024 * 1024 * 1024;

interface Window {
  start: number;
  requests: number;
  bytes: number;
}

/** A decision: go, or wait this many seconds. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSec: number; which: string };

export class RateLimiter {
  readonly #rpm: number;
  readonly #bpm: number;
  readonly #now: () => number;
  #windows = new Map<string, Window>();

  constructor(rpm: number, bpm: number, now: () => number) {
    this.#rpm = rpm;
    this.#bpm = bpm;
    this.#now = now;
  }

  #window(ruleId: string): Window {
    const now = this.#now();
    let w = this.#windows.get(ruleId);
    if (!w || now - w.start >= 60_000) {
      w = { start: now, requests: 0, bytes: 0 };
      this.#windows.set(ruleId, w);
    }
    return w;
  }

  /** Count one request of `bytes` (Content-Length when known) against the rule, or refuse it. */
  admit(ruleId: string, bytes: number): RateDecision {
    const w = this.#window(ruleId);
    const retryAfterSec = Math.max(1, Math.ceil((w.start + 60_000 - this.#now()) / 1000));
    if (w.requests >= this.#rpm) return { ok: false, retryAfterSec, which: 'requests' };
    if (w.bytes + bytes > this.#bpm && w.bytes > 0)
      return { ok: false, retryAfterSec, which: 'bytes' };
    w.requests++;
    w.bytes += bytes;
    return { ok: true };
  }

  /** Add bytes learned only after reading (chunked bodies). */
  addBytes(ruleId: string, bytes: number): void {
    this.#window(ruleId).bytes += bytes;
  }

  reset(): void {
    this.#windows.clear();
  }
}
