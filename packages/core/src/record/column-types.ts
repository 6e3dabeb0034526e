/**
 * The column types of a DCR stream declaration, and two rules about values and types:
 *
 * - `coerceTo`: what `fieldColumns` makes of a value for a typed column (`DurationMs:real`), so
 *   that a string `"12.5"` lands in a `real` column as 12.5. A value that cannot become that
 *   type gives undefined: the caller then leaves it where it was (in Properties), since the
 *   service would store null.
 * - `storedByService`: whether the service keeps a value in a column of that type, or stores
 *   null (what the schema pre-flight warns about). The service does not document its rule; this
 *   is the rule of the project's emulator (its dcr/shape.ts), which the tests compare with.
 */
import { isDateTimeText } from './datetime-text.js';
import { isoTime } from './iso-time.js';
import { safeStringify } from './serialize.js';

/** Column types a stream declaration may use (`guid` exists only in tables). */
export const COLUMN_TYPES = Object.freeze([
  'string',
  'int',
  'long',
  'real',
  'boolean',
  'datetime',
  'dynamic',
] as const);

/** A column type of a DCR stream declaration. */
export type ColumnType = (typeof COLUMN_TYPES)[number];

export function isColumnType(value: unknown): value is ColumnType {
  return (COLUMN_TYPES as readonly unknown[]).includes(value);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function integer(value: unknown, min: number, max: number): number | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) n = Number(value.trim());
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else return undefined;
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function real(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) return Number(value.trim());
  return undefined;
}

function boolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (typeof value !== 'string') return undefined;
  const t = value.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value instanceof Date) return isoTime(value) ?? 'Invalid Date';
  return safeStringify(value);
}

/**
 * `value` as a value of a column of `type`, or undefined when it cannot be one (a fraction for
 * `int`, a word for `real`, an unreadable time for `datetime`). `string` takes any value (objects
 * as their JSON text); `datetime` reads times as the default record's TimeGenerated does (a Date,
 * epoch ms or s, ISO text) and gives ISO 8601 UTC; `dynamic` keeps the value as it is.
 */
export function coerceTo(type: ColumnType, value: unknown): unknown {
  switch (type) {
    case 'dynamic':
      return value;
    case 'string':
      return text(value);
    case 'int':
      return integer(value, INT32_MIN, INT32_MAX);
    case 'long':
      return integer(value, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    case 'real':
      return real(value);
    case 'boolean':
      return boolean(value);
    case 'datetime':
      return isoTime(value);
  }
}

/**
 * Whether the service keeps a JSON value in a column of `type` (else it stores null): numbers
 * and numeric text in `int`/`long`/`real` (in range, whole for the integer types), `true`/`false`
 * (also as text) and 0/1 in `boolean`, Kusto's datetime text in `datetime` (ISO 8601, RFC 822,
 * RFC 850, `MM/dd/yyyy`; datetime-text.ts), anything in `string` (scalars as text, objects as
 * JSON text) and `dynamic`. null is null in every type.
 */
export function storedByService(type: ColumnType, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  switch (type) {
    case 'dynamic':
    case 'string':
      return true;
    case 'int':
      return integer(value, INT32_MIN, INT32_MAX) !== undefined;
    case 'long':
      return isLong(value);
    case 'real':
      return real(value) !== undefined;
    case 'boolean':
      return value === true || value === false || value === 0 || value === 1
        ? true
        : value === 'true' || value === 'false';
    case 'datetime':
      return typeof value === 'string' && isDateTimeText(value);
  }
}

const INT64 = 2n ** 63n;

/** A whole number in 64 bits: a number (beyond 2^53 it has lost digits, but is stored), text, a boolean. */
function isLong(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 63;
  if (typeof value !== 'string' || !INTEGER_TEXT.test(value.trim())) return false;
  const n = BigInt(value.trim());
  return n >= -INT64 && n < INT64;
}

/**
 * The column type a value suggests: `boolean`, `int` (whole numbers in 32 bits), `long` (larger
 * whole numbers), `real`, `datetime` (ISO 8601 text), `string`, `dynamic` (objects and arrays);
 * undefined for null and undefined.
 */
export function inferType(value: unknown): ColumnType | undefined {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      if (!Number.isInteger(value)) return 'real';
      return value >= INT32_MIN && value <= INT32_MAX ? 'int' : 'long';
    case 'string':
      return ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)) ? 'datetime' : 'string';
    case 'object':
      return value === null ? undefined : 'dynamic';
    default:
      return undefined;
  }
}

/** A value's kind in messages: `a string`, `a number`, `an object`, … */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return ISO_DATE.test(value) ? 'a date text' : 'a string';
    case 'number':
      return Number.isInteger(value) ? 'a whole number' : 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
