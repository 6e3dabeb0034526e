/**
 * Reading timestamps on the ingestion path. Clients send `TimeGenerated` as
 * `Date.prototype.toISOString()` gives it (`YYYY-MM-DDTHH:MM:SS.sssZ`); for that one form the
 * value is read by hand, which is several times cheaper than the general parser per row. Any
 * other text returns NaN here and the caller takes the general path (kql/datetime.ts: KQL's
 * formats, UTC when no zone is given, never the machine's time zone).
 */
import { daysFromCivil, daysInMonth, msOfTicks, parseDateTime } from '../kql/datetime.js';

const CANONICAL_LENGTH = 24;

/** The last canonical text read: shaping and the TimeGenerated window read each value twice. */
let lastText = '';
let lastMs = Number.NaN;

/** Value of `count` ASCII digits at `at`, or -1 when one is not a digit. */
function digits(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * Epoch ms of a valid timestamp in the exact form `toISOString()` produces
 * (`YYYY-MM-DDTHH:MM:SS.sssZ`, every field in range); NaN for anything else. For such a text,
 * `new Date(ms).toISOString()` gives the text back unchanged.
 */
export function canonicalIsoMs(text: string): number {
  if (text === lastText) return lastMs;
  if (
    text.length !== CANONICAL_LENGTH ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46 || // .
    text.charCodeAt(23) !== 90 // Z
  ) {
    return Number.NaN;
  }
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 2);
  const d = digits(text, 8, 2);
  const h = digits(text, 11, 2);
  const mi = digits(text, 14, 2);
  const s = digits(text, 17, 2);
  const ms = digits(text, 20, 3);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) {
    return Number.NaN;
  }
  if (s < 0 || s > 59 || ms < 0 || d > daysInMonth(y, mo)) return Number.NaN;
  lastText = text;
  lastMs = daysFromCivil(y, mo, d) * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 + ms;
  return lastMs;
}

/** Epoch ms of a datetime text in one of KQL's formats (NaN if none), the canonical form fast. */
export function parseTimeMs(text: string): number {
  const ms = canonicalIsoMs(text);
  if (!Number.isNaN(ms)) return ms;
  const ticks = parseDateTime(text);
  return ticks === null ? Number.NaN : msOfTicks(ticks);
}
