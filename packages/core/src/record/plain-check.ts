/**
 * The check behind safeStringify's fast path: is this value plain data that native
 * JSON.stringify writes byte for byte as the careful serializer would?
 *
 * It runs on every log record before JSON.stringify, so it is written for speed (measured with
 * bench/serialize.mjs): strings and numbers, most members of a record, are checked inline in the
 * member loops with no call per value; only other kinds go through a call, and only containers
 * recurse. No allocation per value (for-in instead of Object.keys), no closures.
 */
import { SAFE_LENGTH } from './field-cap.js';

/**
 * True when JSON.stringify writes `v` exactly as the careful serializer would: finite numbers,
 * strings and keys that need no truncation, plain objects and arrays within the depth cap,
 * Dates. Reads only; a cycle shows up as exceeding the depth cap.
 */
export function isPlain(v: unknown, depth: number, max: number): boolean {
  if (typeof v === 'string') return v.length <= SAFE_LENGTH;
  if (typeof v === 'number') return v - v === 0; // finite: NaN and ±Infinity give NaN
  return isPlainOther(v, depth, max);
}

/** isPlain for a value that is neither a string nor a number. */
function isPlainOther(v: unknown, depth: number, max: number): boolean {
  if (typeof v === 'object') return v === null || isPlainObject(v, depth, max);
  // bigint and function are not plain (a function may carry toJSON).
  return typeof v === 'boolean' || v === undefined || typeof v === 'symbol';
}

function isPlainObject(v: object, depth: number, max: number): boolean {
  if (depth >= max) return false;
  const inner = depth + 1;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'string') {
        if (x.length > SAFE_LENGTH) return false;
      } else if (typeof x === 'number') {
        if (x - x !== 0) return false;
      } else if (!isPlainOther(x, inner, max)) return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v instanceof Date;
  if ((v as { toJSON?: unknown }).toJSON !== undefined) return false;
  // for-in (no key array): an inherited enumerable key is only checked, never written.
  for (const k in v) {
    // The key first: a too-long key must stop the check before a getter behind it runs.
    if (k.length > SAFE_LENGTH) return false;
    const x: unknown = (v as Record<string, unknown>)[k];
    if (typeof x === 'string') {
      if (x.length > SAFE_LENGTH) return false;
    } else if (typeof x === 'number') {
      if (x - x !== 0) return false;
    } else if (!isPlainOther(x, inner, max)) return false;
  }
  return true;
}
