/**
 * Per-rule rate limits, as Azure applies them per DCR: requests and bytes per minute. Fixed
 * windows on the injected clock, one minute by default; a shorter window (a fleet simulation's
 * "10 requests per 5 s") allows the per-minute rates scaled to its length. The answer beyond
 * them is 429 with `Retry-After` (the seconds left in the window, at least 1).
 */

/** Azure's documented defaults. */
export const DEFAULT_REQUESTS_PER_MINUTE = 12_000;
export const DEFAULT_BYTES_PER_MINUTE = 2 * 1024 * 1024 * 1024;
export const DEFAULT_WINDOW_MS = 60_000;

interface Window {
  start: number;
  requests: number;
  bytes: number;
}

/** A decision: go, or wait this many seconds. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSec: number; which: string };

export class RateLimiter {
  /** Requests and bytes allowed per window. */
  readonly #requests: number;
  readonly #bytes: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #windows = new Map<string, Window>();

  /** `rpm`, `bpm`: per minute; `windowMs`: the window's length (the limits scale with it). */
  constructor(rpm: number, bpm: number, now: () => number, windowMs = DEFAULT_WINDOW_MS) {
    const scale = windowMs / 60_000;
    this.#requests = Math.max(1, Math.floor(rpm * scale));
    this.#bytes = Math.max(1, Math.floor(bpm * scale));
    this.#windowMs = windowMs;
    this.#now = now;
  }

  #window(ruleId: string): Window {
    const now = this.#now();
    let w = this.#windows.get(ruleId);
    if (!w || now - w.start >= this.#windowMs) {
      w = { start: now, requests: 0, bytes: 0 };
      this.#windows.set(ruleId, w);
    }
    return w;
  }

  /** Count one request of `bytes` (Content-Length when known) against the rule, or refuse it. */
  admit(ruleId: string, bytes: number): RateDecision {
    const w = this.#window(ruleId);
    const retryAfterSec = Math.max(1, Math.ceil((w.start + this.#windowMs - this.#now()) / 1000));
    if (w.requests >= this.#requests) return { ok: false, retryAfterSec, which: 'requests' };
    if (w.bytes + bytes > this.#bytes && w.bytes > 0)
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
