/**
 * Time and randomness as one injectable object, so tests drive retries and Retry-After
 * deterministically (no sleeping, no fake timers inside undici).
 */

export interface TimerHandle {
  ref(): unknown;
  unref(): unknown;
  refresh(): unknown;
}

export interface Clock {
  now(): number;
  /** In [0, 1): the backoff jitter source. */
  random(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
