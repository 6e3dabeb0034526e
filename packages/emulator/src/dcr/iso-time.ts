/**
 * Reading timestamps on the ingestion path. Clients send `TimeGenerated` as
 * `Date.prototype.toISOString()` gives it (`YYYY-MM-DDTHH:MM:SS.sssZ`); for that one form the
 * value is read by hand, which is several times cheaper than `Date.parse` + `toISOString` per
 * row. Any other text returns NaN here and the caller takes the general (slower) path, so the
 * results are the same as with `Date.parse`.
 */

const CANONICAL_LENGTH = 24;

/** The last canonical text read: shaping and the TimeGenerated window read each value twice. */
let lastText = '';
let lastMs = Number.NaN;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

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

/** `Date.parse`, with the canonical form read by hand. */
export function parseTimeMs(text: string): number {
  const ms = canonicalIsoMs(text);
  return Number.isNaN(ms) ? Date.parse(text) : ms;
}
