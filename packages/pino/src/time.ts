/**
 * pino's time field → `TimeGenerated` (ISO 8601 UTC).
 *
 * pino writes whatever its `timestamp` option produces: epoch milliseconds (the default and
 * `stdTimeFunctions.epochTime`), epoch seconds (`unixTime`), ISO strings (`isoTime`,
 * `isoTimeNano`), or any custom string. A value that does not parse is not guessed at: the
 * record gets the current time and the original value stays in `Properties`.
 */

// Epoch values below this are seconds (`unixTime`), above are milliseconds: 1e11 s is the year
// 5138, 1e11 ms is March 1973, so neither real range overlaps.
const SECONDS_BELOW = 1e11;

// Exactly what Date#toISOString prints: such strings are reused as they are.
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Epoch milliseconds of a pino time value, or undefined when it does not parse. */
export function timeToMillis(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return undefined;
    return value < SECONDS_BELOW ? value * 1000 : value;
  }
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return timeToMillis(Number(value));
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Formats times as ISO strings, remembering the last one: consecutive lines very often share
 * their millisecond, and `toISOString` is the costliest part of the column.
 */
export class IsoClock {
  #lastMs = Number.NaN;
  #lastIso = '';
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** The ISO form of an epoch-ms value. */
  iso(ms: number): string {
    if (ms !== this.#lastMs) {
      this.#lastMs = ms;
      this.#lastIso = new Date(ms).toISOString();
    }
    return this.#lastIso;
  }

  /**
   * `TimeGenerated` of a line's time value, and whether the value was used (when it was not,
   * the caller keeps it in Properties).
   */
  of(value: unknown): { iso: string; used: boolean } {
    if (typeof value === 'string' && value.length === 24 && CANONICAL_ISO.test(value)) {
      return { iso: value, used: true };
    }
    const ms = timeToMillis(value);
    // Date's range is ±8.64e15 ms; beyond it toISOString throws.
    if (ms === undefined || ms > 8.64e15) return { iso: this.iso(this.#now()), used: false };
    return { iso: this.iso(Math.trunc(ms)), used: true };
  }
}
