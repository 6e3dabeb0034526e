/**
 * The TimeGenerated value: ISO 8601 UTC of a log's time, read by one rule for every adapter
 * (`isoTime`). Runs once per log call, and a busy
 * logger writes many logs per millisecond (and a timestamp format gives them all the same
 * text), so the last conversion is remembered per millisecond and per time text: one
 * `toISOString()` per distinct millisecond instead of one per log.
 */

/**
 * Epoch numbers below this (in size) are seconds, e.g. pino's `unixTime`: 1e11 ms is March 1973,
 * 1e11 s the year 5138, so neither real range overlaps. Negative epochs are times before 1970
 * (replayed or historical data) and read the same way.
 */
const SECONDS_BELOW = 1e11;
/**
 * Times with a four-digit year, 0001-01-01 to 9999-12-31: outside them `toISOString()` writes a
 * six-digit signed year (`+275760-…`), which a datetime column does not read (the emulator counts
 * a type error, the service stores null). Such a time is unreadable, like NaN.
 */
const MIN_TIME_MS = -62_135_596_800_000;
const MAX_TIME_MS = 253_402_300_799_999;
/** An epoch number written as text (pino's `time` from a custom timestamp, an env value). */
const DIGITS = /^-?\d+(\.\d+)?$/;

const epochMs = (n: number): number => (Math.abs(n) < SECONDS_BELOW ? n * 1000 : n);

let lastMs = Number.NaN;
let lastMsIso = '';
let lastText: string | undefined;
let lastTextIso: string | undefined;

/** ISO 8601 of epoch milliseconds (already range-checked); one conversion per distinct ms. */
export function isoOfMs(ms: number): string {
  if (ms !== lastMs) {
    lastMsIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastMsIso;
}

/** NaN fails the range comparison too. */
function fromMs(ms: number): string | undefined {
  return ms >= MIN_TIME_MS && ms <= MAX_TIME_MS ? isoOfMs(ms) : undefined;
}

function fromText(text: string): string | undefined {
  if (text === lastText) return lastTextIso;
  const iso = fromMs(DIGITS.test(text) ? epochMs(Number(text)) : Date.parse(text));
  lastText = text;
  lastTextIso = iso;
  return iso;
}

/**
 * ISO 8601 UTC of a log's time as the default record writes it (see `LogEntry.time`): a Date,
 * epoch milliseconds (numbers below 1e11 in size are epoch seconds; negative ones are before
 * 1970), a string of digits (an epoch number, read the same way) or a date text (`Date.parse`,
 * e.g. ISO 8601). Undefined when it cannot be read as a time (the adapters then use the time of
 * the call and keep the value in Properties).
 */
export function isoTime(time: unknown): string | undefined {
  if (typeof time === 'number') return fromMs(epochMs(time));
  if (typeof time === 'string') return fromText(time);
  if (time instanceof Date) return fromMs(time.getTime());
  return undefined;
}
