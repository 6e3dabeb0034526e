/**
 * Values of each KQL type (see types.ts for how each is held) and the conversions between them:
 * the `to*()` functions, `tostring()`, and the passage between a stored row (JSON) and a running
 * transform. Conversions that fail give null, as KQL's do.
 */
import { formatDateTime, parseDateTime } from './datetime.js';
import { formatTimespan, parseTimespan } from './timespan.js';
import type { KType } from './types.js';

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const GUID_HEX = /^[0-9a-f]{32}$/;

export const isNull = (v: unknown): boolean => v === null || v === undefined;

/** A long in the 64-bit range, or null. */
export function int64(v: bigint): bigint | null {
  return v < INT64_MIN || v > INT64_MAX ? null : v;
}

/** Wrap a long result to 64 bits, as .NET long arithmetic does. */
export function wrap64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** Text of a real as .NET prints it for the common cases (NaN, ±Infinity spelled like .NET). */
export function realText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Infinity';
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
  return String(n);
}

/** tostring(datetime) prints 7 fraction digits: hash_sha256(datetime(2020-01-01)) hashes that text. */
function datetimeText(ticks: bigint): string {
  const iso = formatDateTime(ticks);
  const [head, frac] = iso.slice(0, -1).split('.');
  return `${head}.${frac!.padEnd(7, '0')}Z`;
}

/** tostring() of a value of type `t`. */
export function toStr(t: KType, v: unknown): string {
  if (isNull(v)) return '';
  switch (t) {
    case 'string':
    case 'guid':
      return v as string;
    case 'bool':
      return v ? 'true' : 'false';
    case 'int':
    case 'long':
      return String(v);
    case 'real':
      return realText(v as number);
    case 'datetime':
      return datetimeText(v as bigint);
    case 'timespan':
      return formatTimespan(v as bigint);
    case 'dynamic':
      return typeof v === 'string' ? v : JSON.stringify(v, jsonReplacer);
  }
}

/** JSON.stringify replacer: bigints inside dynamic values are written as numbers. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

/** The scalar a dynamic value holds as a `t` value, for comparisons and conversions. */
export function fromDynamic(v: unknown): { t: KType; v: unknown } {
  if (typeof v === 'string') return { t: 'string', v };
  if (typeof v === 'number')
    return { t: Number.isInteger(v) ? 'long' : 'real', v: Number.isInteger(v) ? BigInt(v) : v };
  if (typeof v === 'bigint') return { t: 'long', v };
  if (typeof v === 'boolean') return { t: 'bool', v };
  return { t: 'dynamic', v: v ?? null };
}

function numberFromText(text: string): number | null {
  const s = text.trim();
  if (NUMBER_TEXT.test(s)) return Number(s);
  if (/^[+-]?(NaN|Infinity|∞)$/i.test(s))
    return s.startsWith('-') ? -Infinity : /nan/i.test(s) ? NaN : Infinity;
  return null;
}

/** toreal() / todouble(). */
export function toReal(t: KType, v: unknown): number | null {
  if (isNull(v)) return null;
  switch (t) {
    case 'real':
      return v as number;
    case 'int':
      return v as number;
    case 'long':
      return Number(v as bigint);
    case 'bool':
      return v ? 1 : 0;
    case 'string':
      return numberFromText(v as string);
    case 'dynamic': {
      const d = fromDynamic(v);
      return d.t === 'dynamic' ? null : toReal(d.t, d.v);
    }
    default:
      return null;
  }
}

/** tolong(): integers exact to 64 bits (text is read as decimal, not through a double). */
export function toLong(t: KType, v: unknown): bigint | null {
  if (isNull(v)) return null;
  switch (t) {
    case 'long':
      return v as bigint;
    case 'int':
      return BigInt(v as number);
    case 'bool':
      return v ? 1n : 0n;
    case 'real': {
      const n = v as number;
      return Number.isFinite(n) ? int64(BigInt(Math.trunc(n))) : null;
    }
    case 'string': {
      const s = (v as string).trim();
      if (INTEGER_TEXT.test(s)) return int64(BigInt(s));
      const n = numberFromText(s);
      return n === null ? null : toLong('real', n);
    }
    case 'dynamic': {
      const d = fromDynamic(v);
      return d.t === 'dynamic' ? null : toLong(d.t, d.v);
    }
    default:
      return null;
  }
}

/** toint(): as tolong(), then null outside 32 bits (a decimal is truncated). */
export function toInt(t: KType, v: unknown): number | null {
  const l = toLong(t, v);
  if (l === null || l < BigInt(INT32_MIN) || l > BigInt(INT32_MAX)) return null;
  return Number(l);
}

/** tobool(): true/false (any case) and numbers (non-zero is true). */
export function toBool(t: KType, v: unknown): boolean | null {
  if (isNull(v)) return null;
  switch (t) {
    case 'bool':
      return v as boolean;
    case 'int':
    case 'real':
      return Number.isNaN(v) ? null : v !== 0;
    case 'long':
      return v !== 0n;
    case 'string': {
      const s = (v as string).trim().toLowerCase();
      if (s === 'true') return true;
      if (s === 'false') return false;
      const n = numberFromText(s);
      return n === null || Number.isNaN(n) ? null : n !== 0;
    }
    case 'dynamic': {
      const d = fromDynamic(v);
      return d.t === 'dynamic' ? null : toBool(d.t, d.v);
    }
    default:
      return null;
  }
}

/** A conversion that reads text (and dynamic text) with `parse`, keeping values of its own type. */
function fromText<T>(
  own: KType,
  parse: (text: string) => T | null,
): (t: KType, v: unknown) => T | null {
  return (t, v) => {
    if (isNull(v)) return null;
    if (t === own) return v as T;
    if (t === 'string' || (t === 'dynamic' && typeof v === 'string')) return parse(v as string);
    return null;
  };
}

/** todatetime(): text in one of Kusto's formats (UTC when no zone). */
export const toDatetime = fromText('datetime', parseDateTime);

/** totimespan(). */
export const toTimespan = fromText('timespan', parseTimespan);

/**
 * toguid(): "takes the first 32 characters of the input, ignoring properly located hyphens,
 * validates that the characters are between 0-9 or a-f" (toguid docs).
 */
export function toGuid(t: KType, v: unknown): string | null {
  if (isNull(v)) return null;
  if (t === 'guid') return v as string;
  if (t !== 'string' && !(t === 'dynamic' && typeof v === 'string')) return null;
  const s = (v as string).trim();
  const hyphenated =
    /^([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{12})/.exec(
      s,
    );
  const hex = hyphenated ? hyphenated.slice(1, 6).join('').toLowerCase() : '';
  if (!GUID_HEX.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A value of type `t` inside a dynamic value (pack(), pack_array()…): JSON-representable. */
export function toDynamic(t: KType, v: unknown): unknown {
  if (isNull(v)) return null;
  switch (t) {
    case 'long': {
      const n = v as bigint;
      return Number.isSafeInteger(Number(n)) ? Number(n) : n;
    }
    case 'datetime':
      return datetimeText(v as bigint);
    case 'timespan':
      return formatTimespan(v as bigint);
    default:
      return v;
  }
}

/** Convert a value to `target` (used by typed parse columns, extract(…, typeof(T)), columns). */
export function convert(target: KType, t: KType, v: unknown): unknown {
  switch (target) {
    case 'string':
      return toStr(t, v);
    case 'bool':
      return toBool(t, v);
    case 'int':
      return toInt(t, v);
    case 'long':
      return toLong(t, v);
    case 'real':
      return toReal(t, v);
    case 'datetime':
      return toDatetime(t, v);
    case 'timespan':
      return toTimespan(t, v);
    case 'guid':
      return toGuid(t, v);
    case 'dynamic':
      return toDynamic(t, v);
  }
}

/** A stored column value (a shaped row) as the transform holds it. */
export function fromStored(t: KType, v: unknown): unknown {
  if (isNull(v)) return t === 'string' ? '' : null;
  switch (t) {
    case 'long':
      return typeof v === 'bigint' ? v : BigInt(v as number | string);
    case 'datetime':
      return typeof v === 'string' ? parseDateTime(v) : null;
    case 'timespan':
      return typeof v === 'string' ? parseTimespan(v) : null;
    default:
      return v;
  }
}

/** A transform's value as stored in a row: long as a number (decimal text beyond 2^53). */
export function toStored(t: KType, v: unknown): unknown {
  if (isNull(v)) return null;
  switch (t) {
    case 'long': {
      const n = v as bigint;
      const num = Number(n);
      return Number.isSafeInteger(num) ? num : n.toString();
    }
    case 'real': {
      const n = v as number;
      return Number.isFinite(n) ? n : realText(n);
    }
    case 'datetime':
      return formatDateTime(v as bigint);
    case 'timespan':
      return formatTimespan(v as bigint);
    case 'dynamic':
      if (typeof v === 'bigint') return toDynamic('long', v);
      return typeof v === 'object' && v !== null ? JSON.parse(JSON.stringify(v, jsonReplacer)) : v;
    default:
      return v;
  }
}

/** The runtime type name gettype() reports. */
export function getType(t: KType, v: unknown): string {
  if (t !== 'dynamic') return t;
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'dictionary';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'long';
  if (Number.isInteger(v))
    return (v as number) >= INT32_MIN && (v as number) <= INT32_MAX ? 'int' : 'long';
  return 'real';
}
