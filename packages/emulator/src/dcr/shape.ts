/**
 * Per-record shaping against a stream declaration, as the service does it silently (204 anyway):
 * undeclared properties are dropped ("Log Columns Dropped"), a value of the wrong type becomes
 * null (what the Data Explorer engine behind Log Analytics stores), strings over 64 KB are
 * truncated.
 */
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
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The sentinel for "not representable in this type". */
const BAD = Symbol('bad');

function toInteger(value: unknown, min: number, max: number): number | typeof BAD {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) n = Number(value.trim());
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else return BAD;
  return Number.isInteger(n) && n >= min && n <= max ? n : BAD;
}

/** Convert a JSON value to a column type, or BAD. Strings accept scalars (Kusto stringifies). */
function convert(type: ColumnType, value: unknown): unknown {
  switch (type) {
    case 'dynamic':
      return value;
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return JSON.stringify(value);
    case 'int':
      return toInteger(value, INT32_MIN, INT32_MAX);
    case 'long':
      return toInteger(value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    case 'real':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) return Number(value.trim());
      return BAD;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      if (value === 0 || value === 1) return value === 1;
      return BAD;
    case 'datetime': {
      if (typeof value !== 'string' || !ISO_DATE.test(value)) return BAD;
      const ms = Date.parse(value);
      return Number.isNaN(ms) ? BAD : new Date(ms).toISOString();
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
    // toISOString() output is already what the column stores: no Date.parse + toISOString.
    let out =
      type === 'datetime' && typeof value === 'string' && !Number.isNaN(canonicalIsoMs(value))
        ? value
        : convert(type, value);
    if (out === BAD) {
      counts.typeErrors++;
      out = null;
    } else if (type === 'string' && typeof out === 'string' && out.length * 3 > MAX_FIELD_BYTES) {
      const cut = truncateUtf8(out);
      if (cut.truncated) counts.truncated++;
      out = cut.text;
    }
    if (out !== value) {
      record[name] = out;
      counts.rewritten++;
    }
  }
  if (dropped === 0) return record;
  counts.columnsDropped += dropped;
  const row: Record<string, unknown> = {};
  for (const name in record) if (columns.has(name)) row[name] = record[name];
  return row;
}

/** Shape one input record against the stream's columns (the record is left unchanged). */
export function shapeRecord(
  record: Record<string, unknown>,
  columns: ReadonlyMap<string, ColumnType>,
): ShapeResult {
  const counts: ShapeCounts = { columnsDropped: 0, typeErrors: 0, truncated: 0, rewritten: 0 };
  const row = shapeInPlace({ ...record }, columns, counts);
  const { columnsDropped, typeErrors, truncated } = counts;
  return { row, columnsDropped, typeErrors, truncated };
}
