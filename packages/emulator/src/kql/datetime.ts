/**
 * `datetime` as Kusto holds it: 100-nanosecond ticks, always UTC, 0001-01-01 to 9999-12-31.
 * Here a tick count is a BigInt counted from the Unix epoch (negative before 1970), so the 100 ns
 * precision survives arithmetic (a Number loses it past 2^53 ticks, i.e. 1998).
 *
 * Reading text follows "The datetime data type" (Kusto docs, "Supported formats"): ISO 8601,
 * RFC 822, RFC 850 and the sortable forms, plus `MM/dd/yyyy` and `MM-dd-yyyy` (the parse
 * operator's and todatetime()'s own examples read them). A value without a zone is UTC: nothing
 * here depends on the machine's time zone.
 */

export const TICKS_PER_MS = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_MINUTE = 60n * TICKS_PER_SECOND;
export const TICKS_PER_HOUR = 60n * TICKS_PER_MINUTE;
export const TICKS_PER_DAY = 24n * TICKS_PER_HOUR;

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day count from 1970-01-01 (H. Hinnant's civil_from_days). */
export function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The first and last representable instants. */
export const MIN_TICKS = BigInt(daysFromCivil(1, 1, 1)) * TICKS_PER_DAY;
export const MAX_TICKS = BigInt(daysFromCivil(10000, 1, 1)) * TICKS_PER_DAY - 1n;

/** null when outside 0001-01-01 .. 9999-12-31 (Kusto's range). */
export function inRange(ticks: bigint): bigint | null {
  return ticks < MIN_TICKS || ticks > MAX_TICKS ? null : ticks;
}

/** Ticks of a civil date and time (UTC); null when a field is out of range. */
export function ticksOf(
  y: number,
  m: number,
  d: number,
  h = 0,
  mi = 0,
  s = 0,
  fraction = 0n,
): bigint | null {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return null;
  const seconds = BigInt(daysFromCivil(y, m, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s);
  return seconds * TICKS_PER_SECOND + fraction;
}

/** Epoch ms (floored) of a tick count. */
export function msOfTicks(ticks: bigint): number {
  const ms = ticks / TICKS_PER_MS;
  return Number(ticks < 0n && ms * TICKS_PER_MS !== ticks ? ms - 1n : ms);
}

export function ticksOfMs(ms: number): bigint {
  return BigInt(Math.floor(ms)) * TICKS_PER_MS;
}

/** Floor division for BigInt (BigInt `/` truncates toward zero). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** The parts of an instant. */
export interface Civil {
  readonly y: number;
  readonly m: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
  readonly s: number;
  /** Ticks within the second, 0..9,999,999. */
  readonly fraction: number;
  /** Days since 1970-01-01. */
  readonly days: number;
}

export function civilOf(ticks: bigint): Civil {
  const days = Number(floorDiv(ticks, TICKS_PER_DAY));
  const inDay = Number(ticks - BigInt(days) * TICKS_PER_DAY);
  const seconds = Math.floor(inDay / 10_000_000);
  const { y, m, d } = civilFromDays(days);
  return {
    y,
    m,
    d,
    h: Math.floor(seconds / 3600),
    mi: Math.floor(seconds / 60) % 60,
    s: seconds % 60,
    fraction: inDay - seconds * 10_000_000,
    days,
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * `YYYY-MM-DDTHH:MM:SS.fffZ`, the form `toISOString()` gives, with up to 4 more digits when
 * the value is finer than a millisecond (100 ns is kept, trailing zeros past the milliseconds are
 * not written): what the emulator stores for a `datetime` column.
 */
export function formatDateTime(ticks: bigint): string {
  const c = civilOf(ticks);
  let frac = pad(c.fraction, 7);
  frac = frac.slice(0, 3) + frac.slice(3).replace(/0+$/, '');
  return `${pad(c.y, 4)}-${pad(c.m, 2)}-${pad(c.d, 2)}T${pad(c.h, 2)}:${pad(c.mi, 2)}:${pad(c.s, 2)}.${frac}Z`;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** RFC 822 zones (and Z/UT/UTC/GMT) in minutes east of UTC. */
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};
const ZONE = String.raw`(Z|UTC|UT|GMT|[ECMP][SD]T|[+-]\d{2}:?\d{2})`;
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]${TIME})?\s*${ZONE}?$`, 'i');
const RFC822 = new RegExp(
  String.raw`^(?:[A-Za-z]{3,9},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4}|\d{2})\s+${TIME}\s*${ZONE}?$`,
  'i',
);
const RFC850 = new RegExp(
  String.raw`^(?:[A-Za-z]{3,9},\s*)?(\d{1,2})-([A-Za-z]{3})-(\d{4}|\d{2})\s+${TIME}\s*${ZONE}?$`,
  'i',
);
const US = new RegExp(
  String.raw`^(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:\s+${TIME})?\s*${ZONE}?$`,
  'i',
);

function zoneMinutes(zone: string | undefined): number {
  if (zone === undefined) return 0;
  const named = ZONES[zone.toLowerCase()];
  if (named !== undefined) return named;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return digits[0] === '-' ? -minutes : minutes;
}

/** Two-digit years as .NET reads them (the two-digit-year max is 2049). */
function fullYear(text: string): number {
  const y = Number(text);
  return text.length > 2 ? y : y < 50 ? 2000 + y : 1900 + y;
}

/** A fraction of a second (any digit count) as ticks, cut to 100 ns. */
function fractionTicks(digits: string | undefined): bigint {
  if (!digits) return 0n;
  return BigInt(digits.slice(0, 7).padEnd(7, '0'));
}

function build(
  y: number,
  m: number,
  d: number,
  time: Array<string | undefined>,
  zone: string | undefined,
): bigint | null {
  const [h, mi, s, f] = time;
  const ticks = ticksOf(y, m, d, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), fractionTicks(f));
  if (ticks === null) return null;
  return inRange(ticks - BigInt(zoneMinutes(zone)) * TICKS_PER_MINUTE);
}

/**
 * Read a datetime text in one of Kusto's formats; null when it is not one. Zone-less text is
 * UTC; an offset or RFC 822 zone is applied.
 */
export function parseDateTime(text: string): bigint | null {
  const t = text.trim();
  let m = ISO.exec(t);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]), m.slice(4, 8), m[8]);
  m = RFC822.exec(t) ?? RFC850.exec(t);
  if (m) {
    const month = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
    if (month === 0) return null;
    return build(fullYear(m[3]!), month, Number(m[1]), m.slice(4, 8), m[8]);
  }
  m = US.exec(t);
  if (m) return build(Number(m[4]), Number(m[1]), Number(m[3]), m.slice(5, 9), m[9]);
  return null;
}
