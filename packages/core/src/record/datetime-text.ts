/**
 * Whether a text is a `datetime` the service reads: the formats of Kusto's datetime type
 * ("Supported formats": ISO 8601, RFC 822, RFC 850, and `MM/dd/yyyy` / `MM-dd-yyyy`), a zone
 * or offset optional (without one it is UTC), within 0001-01-01 … 9999-12-31. The schema
 * pre-flight judges values with it; the project's emulator reads datetimes by the same rule.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONE = String.raw`(Z|UTC|UT|GMT|[ECMP][SD]T|[+-]\d{2}:?\d{2})`;
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?`;
const ISO = new RegExp(String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]${TIME})?\s*${ZONE}?$`, 'i');
const RFC = new RegExp(
  String.raw`^(?:[A-Za-z]{3,9},\s*)?(\d{1,2})([\s-])([A-Za-z]{3})\2(\d{4}|\d{2})\s+${TIME}\s*${ZONE}?$`,
  'i',
);
const US = new RegExp(
  String.raw`^(\d{1,2})([/-])(\d{1,2})\2(\d{4})(?:\s+${TIME})?\s*${ZONE}?$`,
  'i',
);

const leap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysIn(y: number, m: number): number {
  if (m === 2) return leap(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** A civil date and time whose fields are all in range. */
function valid(y: number, m: number, d: number, time: (string | undefined)[]): boolean {
  const [h = 0, mi = 0, s = 0] = time.slice(0, 3).map((t) => Number(t ?? 0));
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return false;
  return h <= 23 && mi <= 59 && s <= 59;
}

/** Two-digit years as .NET reads them (up to 2049). */
const fullYear = (t: string): number =>
  t.length > 2 ? Number(t) : Number(t) < 50 ? 2000 + Number(t) : 1900 + Number(t);

/** Whether the service reads `text` as a datetime. */
export function isDateTimeText(text: string): boolean {
  const t = text.trim();
  let m = ISO.exec(t);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]), m.slice(4, 7));
  m = RFC.exec(t);
  if (m) {
    const month = MONTHS.indexOf(m[3]!.toLowerCase()) + 1;
    return month > 0 && valid(fullYear(m[4]!), month, Number(m[1]), m.slice(5, 8));
  }
  m = US.exec(t);
  return m !== null && valid(Number(m[4]), Number(m[1]), Number(m[3]), m.slice(5, 8));
}
