/**
 * pino's time field → `TimeGenerated` (ISO 8601 UTC).
 *
 * pino writes whatever its `timestamp` option produces: epoch milliseconds (the default and
 * `stdTimeFunctions.epochTime`), epoch seconds (`unixTime`), ISO strings (`isoTime`,
 * `isoTimeNano`), or any custom string. It is read by the core's `isoTime`, the one rule every
 * adapter uses (epoch ms or s, negative epochs, digit text, date text). A value that does not
 * read as a time is not guessed at: the record gets the current time and the original value
 * stays in `Properties`.
 */
import { isoTime } from 'azure-ingestion-core/adapter';

/** The time of a line, and whether the line's value was used (else it stays in Properties). */
export interface LineTime {
  readonly iso: string;
  readonly used: boolean;
}

/** Reads line times; the clock gives "now" for lines without a readable one (injectable in tests). */
export class LineClock {
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** `TimeGenerated` of a line's time value (undefined: the line has none). */
  of(value: unknown): LineTime {
    const iso = isoTime(value);
    if (iso !== undefined) return { iso, used: true };
    return { iso: isoTime(this.#now()) as string, used: false };
  }
}
