/**
 * Per-record shaping against a stream declaration, as the service does it silently (204 anyway):
 * undeclared properties are dropped ("Log Columns Dropped"), a value of the wrong type becomes
 * null (what the Data Explorer engine behind Log Analytics stores), values over 64 KB are
 * truncated. Datetime text is read as KQL reads it (UTC when it has no zone, 100 ns kept);
 * `long` is 64-bit: values beyond 2^53 are kept exact as decimal text.
 */
import { formatDateTime, parseDateTime } from '../kql/datetime.js';
import { canonicalIsoMs } from './iso-time.js';

/** Column types a stream declaration may use. */
export const COLUMN_TYPES = [
  'string',
  'int',
  'long',
  'real',
  'boolean',
  'datetime',
  'dynamic',
] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** A field value over this many UTF-8 bytes is truncated. */
export const MAX_FIELD_BYTES = 64 * 1024;

/** What shaping one record did. */
export interface ShapeResult {
  readonly row: Record<string, unknown>;
  readonly columnsDropped: number;
  readonly typeErrors: number;
  readonly truncated: number;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The sentinel for "not representable in this type". */
const BAD = Symbol('bad');
/** The sentinel for "a long that JSON.parse could not read exactly". */
const INEXACT = Symbol('inexact');

function toInteger(value: unknown, min: number, max: number): number | typeof BAD {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) n = Number(value.trim());
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (typeof value === 'bigint') n = Number(value);
  else return BAD;
  return Number.isInteger(n) && n >= min && n <= max ? n : BAD;
}

/**
 * A long: a number when it is exact as one, else its decimal text (64-bit range). A number
 * beyond 2^53 has lost digits in JSON.parse already: INEXACT asks for the exact reading.
 */
function toLong(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? INEXACT : BAD;
  }
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) big = BigInt(value.trim());
  else if (typeof value === 'boolean') return value ? 1 : 0;
  else return BAD;
  if (big < INT64_MIN || big > INT64_MAX) return BAD;
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : big.toString();
}

/** Convert a JSON value to a column type, or BAD. Strings accept scalars (Kusto stringifies). */
function convert(type: ColumnType, value: unknown): unknown {
  switch (type) {
    case 'dynamic':
      return typeof value === 'bigint' ? Number(value) : value;
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
        return String(value);
      return JSON.stringify(value);
    case 'int':
      return toInteger(value, INT32_MIN, INT32_MAX);
    case 'long':
      return toLong(value);
    case 'real':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) return Number(value.trim());
      return BAD;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      if (value === 0 || value === 1) return value === 1;
      return BAD;
    case 'datetime': {
      // ISO 8601, RFC 822, RFC 850 (KQL's formats); no zone means UTC; 100 ns kept.
      const ticks = typeof value === 'string' ? parseDateTime(value) : null;
      return ticks === null ? BAD : formatDateTime(ticks);
    }
  }
}

/** Cut a string to at most `MAX_FIELD_BYTES` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string): { text: string; truncated: boolean } {
  if (text.length * 3 <= MAX_FIELD_BYTES || Buffer.byteLength(text) <= MAX_FIELD_BYTES) {
    return { text, truncated: false };
  }
  const buf = Buffer.from(text, 'utf8');
  let end = MAX_FIELD_BYTES;
  // Back up to a character boundary: continuation bytes are 10xxxxxx.
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return { text: buf.subarray(0, end).toString('utf8'), truncated: true };
}

/** What shaping did, summed over the records of a body. */
export interface ShapeCounts {
  columnsDropped: number;
  typeErrors: number;
  truncated: number;
  /** Values replaced by their conversion (also null for a type error or `undefined`). */
  rewritten: number;
  /** `long` values beyond 2^53 that JSON.parse rounded: the body must be read again exactly. */
  inexact: number;
  /** By name: what was dropped, nulled or cut (made on the first one, so the common case allocates nothing). */
  names: ShapeNames;
}

/** Counts by property or column name, for the console's "why rows or columns are missing". */
export interface ShapeNames {
  /** Properties the stream does not declare. */
  dropped: Map<string, number> | undefined;
  /** Values that did not convert to their column's type (stored as null). */
  nulled: Map<string, number> | undefined;
  /** Values cut at 64 KB. */
  truncated: Map<string, number> | undefined;
}

/** Distinct names kept per list: a body with a fresh key per record must not grow it forever. */
export const MAX_NAMES = 100;
/** Where names beyond MAX_NAMES are counted. */
export const OTHER_NAMES = '(other names)';

/** Count one more under `name` in `map` (created when absent). */
export function tally(map: Map<string, number> | undefined, name: string): Map<string, number> {
  const m = map ?? new Map<string, number>();
  const key = m.has(name) || m.size < MAX_NAMES ? name : OTHER_NAMES;
  m.set(key, (m.get(key) ?? 0) + 1);
  return m;
}

export function emptyShapeCounts(): ShapeCounts {
  return {
    columnsDropped: 0,
    typeErrors: 0,
    truncated: 0,
    rewritten: 0,
    inexact: 0,
    names: { dropped: undefined, nulled: undefined, truncated: undefined },
  };
}

/** Characters of a JSON scalar, or of an object or array counted until `limit`. */
function jsonLength(v: unknown, limit: number): number {
  return typeof v === 'string'
    ? v.length + 2
    : typeof v === 'object' && v !== null
      ? containerLength(v, limit)
      : 8;
}

/**
 * Characters of an object or array in JSON, counted until `limit` (a cheap bound before
 * serializing it: scalars are measured inline, without a call per value).
 */
function containerLength(v: object, limit: number): number {
  let n = 2;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && n <= limit; i++) n += jsonLength(v[i], limit - n) + 1;
    return n;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    n +=
      k.length +
      4 +
      (typeof x === 'string'
        ? x.length + 2
        : typeof x === 'object' && x !== null
          ? containerLength(x, limit - n)
          : 8);
    if (n > limit) return n;
  }
  return n;
}

/**
 * A dynamic value over 64 KB of JSON: its text cut to 64 KB, kept as a string (the limits page
 * says fields over 64 KB are truncated; what a truncated dynamic value becomes is a guess).
 */
function truncateDynamic(value: unknown): { value: unknown; truncated: boolean } {
  if (typeof value === 'string') {
    const cut = truncateUtf8(value);
    return { value: cut.text, truncated: cut.truncated };
  }
  if (
    typeof value !== 'object' ||
    value === null ||
    jsonLength(value, MAX_FIELD_BYTES / 3) * 3 <= MAX_FIELD_BYTES
  ) {
    return { value, truncated: false };
  }
  const cut = truncateUtf8(
    JSON.stringify(value, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)),
  );
  return cut.truncated ? { value: cut.text, truncated: true } : { value, truncated: false };
}

/**
 * Shape a record the caller owns (fresh from `JSON.parse`) with as little work as possible:
 * values are checked, and converted in place only when they change; the record itself is the
 * row unless a property is undeclared, then a new object holds the declared ones (same order).
 * A well-formed record of the common types costs one column lookup and one type test per
 * property, and no allocation.
 */
export function shapeInPlace(
  record: Record<string, unknown>,
  columns: ReadonlyMap<string, ColumnType>,
  counts: ShapeCounts,
  /** False when the whole body is under 64 KB: no value can be over the limit. */
  checkSizes = true,
): Record<string, unknown> {
  let dropped = 0;
  for (const name in record) {
    const type = columns.get(name);
    if (type === undefined) {
      dropped++;
      continue;
    }
    const value = record[name];
    if (value === null || value === undefined) {
      if (value === undefined) {
        record[name] = null;
        counts.rewritten++;
      }
      continue;
    }
    // The common cases need no conversion: a string for a string column, and toISOString()
    // output for a datetime column (already what the column stores).
    let out =
      typeof value === 'string' &&
      (type === 'string' || (type === 'datetime' && !Number.isNaN(canonicalIsoMs(value))))
        ? value
        : convert(type, value);
    if (out === BAD) {
      counts.typeErrors++;
      counts.names.nulled = tally(counts.names.nulled, name);
      out = null;
    } else if (out === INEXACT) {
      counts.inexact++;
      out = value;
    } else if (type === 'string' && typeof out === 'string' && out.length * 3 > MAX_FIELD_BYTES) {
      const cut = truncateUtf8(out);
      if (cut.truncated) {
        counts.truncated++;
        counts.names.truncated = tally(counts.names.truncated, name);
      }
      out = cut.text;
    } else if (type === 'dynamic' && checkSizes) {
      const cut = truncateDynamic(out);
      if (cut.truncated) {
        counts.truncated++;
        counts.names.truncated = tally(counts.names.truncated, name);
      }
      out = cut.value;
    }
    if (out !== value) {
      record[name] = out;
      counts.rewritten++;
    }
  }
  if (dropped === 0) return record;
  counts.columnsDropped += dropped;
  const row: Record<string, unknown> = {};
  for (const name in record) {
    if (columns.has(name)) row[name] = record[name];
    else counts.names.dropped = tally(counts.names.dropped, name);
  }
  return row;
}

/** Shape one input record against the stream's columns (the record is left unchanged). */
export function shapeRecord(
  record: Record<string, unknown>,
  columns: ReadonlyMap<string, ColumnType>,
): ShapeResult {
  const counts = emptyShapeCounts();
  const row = shapeInPlace({ ...record }, columns, counts);
  const { columnsDropped, typeErrors, truncated } = counts;
  return { row, columnsDropped, typeErrors, truncated };
}
