/**
 * The adaptive request rate (AIMD) after the service throttles. A data collection rule allows
 * 12,000 requests per minute for everyone who sends to it: a fleet of instances that keep their
 * request rate after a 429 keeps the rule saturated (a retry storm). So each throttle lengthens
 * the effective flush interval multiplicatively, and while requests succeed it shortens
 * additively, back to the configured `flushIntervalMs`:
 *
 *   interval ──429──> interval × 2          (at most MAX_INTERVAL_MS, or flushIntervalMs if larger)
 *   interval ──2xx──> interval − elapsed / RECOVERY   (at least flushIntervalMs)
 *
 * The additive part runs on time, not on the count of successes: a request every interval
 * would make an instance slowed down further recover more slowly still. With a linear recovery
 * of 1 ms per RECOVERY ms, a fleet that shares a rule spends about RECOVERY / 2 requests
 * between two throttles, whatever its size (bench/fleet.mjs measures it).
 *
 * Fewer timer flushes mean fewer, larger requests; while engaged the engine also merges what
 * waits into full-size requests (see merge.ts). Never throttled, the interval stays
 * `flushIntervalMs` and nothing changes: a lone instance behaves as without this.
 *
 * Several requests in flight when the rule starts throttling all come back 429: that is one
 * throttle, not several (as TCP halves its window once per round trip). A throttle counts only
 * for a request that started after the last increase.
 */

/** The longest effective interval: one request a minute per instance (12,000 instances per rule). */
export const MAX_INTERVAL_MS = 60_000;
/** The interval shrinks by 1 ms per RECOVERY ms while requests succeed. */
export const RECOVERY = 32;

export class RateControl {
  readonly #baseMs: number;
  readonly #maxMs: number;
  #intervalMs: number;
  /** When the interval was last lengthened; earlier requests belong to that throttle. */
  #lastIncrease = Number.NEGATIVE_INFINITY;
  /** When the interval last changed (the recovery runs from there). */
  #lastChange = 0;

  readonly #random: () => number;

  /** `random`: in [0, 1), the jitter of the delays while engaged. */
  constructor(flushIntervalMs: number, random: () => number) {
    this.#random = random;
    this.#baseMs = flushIntervalMs;
    this.#intervalMs = flushIntervalMs;
    this.#maxMs = Math.max(flushIntervalMs, MAX_INTERVAL_MS);
  }

  /** The effective flush interval (ms): the configured one unless throttled lately. */
  get intervalMs(): number {
    return Math.round(this.#intervalMs);
  }

  /**
   * The delay of the next flush timer: the effective interval, spread by ±50% while engaged.
   * Instances throttled together resume together when the rule's window resets; with equal
   * intervals they would stay in step and keep hitting the rule at the same moments.
   */
  nextDelayMs(): number {
    if (!this.engaged) return this.#baseMs;
    return Math.round(this.#intervalMs * (0.75 + this.#random() / 2));
  }

  /** Slowed down by a throttle and not yet back at the configured interval. */
  get engaged(): boolean {
    return this.#intervalMs > this.#baseMs;
  }

  /**
   * The service throttled a request that started at `startedAt`: lengthens the interval unless
   * a throttle of a request started later already did. Returns whether it changed.
   */
  throttled(startedAt: number, now: number): boolean {
    if (startedAt < this.#lastIncrease || this.#intervalMs >= this.#maxMs) return false;
    this.#intervalMs = Math.min(this.#maxMs, this.#intervalMs * 2);
    this.#lastIncrease = now;
    this.#lastChange = now;
    return true;
  }

  /** A request succeeded at `now`: back toward the configured interval by the time since the last change. */
  succeeded(now: number): void {
    if (this.#intervalMs <= this.#baseMs) return;
    const elapsed = Math.max(0, now - this.#lastChange);
    this.#intervalMs = Math.max(this.#baseMs, this.#intervalMs - elapsed / RECOVERY);
    this.#lastChange = now;
  }
}
