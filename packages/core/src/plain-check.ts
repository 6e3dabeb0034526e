/**
 * The check behind safeStringify's fast path: is this value plain data that native
 * JSON.stringify writes byte for byte as the careful serializer would?
 */
import { SAFE_LENGTH } from './field-cap.js';

/**
 * True when JSON.stringify writes `v` exactly as the careful serializer would: finite numbers,
 * strings and keys that need no truncation, plain objects and arrays within the depth cap,
 * Dates. Reads only; a cycle shows up as exceeding the depth cap.
 */
export function isPlain(v: unknown, depth: number, max: number): boolean {
  switch (typeof v) {
    case 'string':
      return v.length <= SAFE_LENGTH;
    case 'number':
      return Number.isFinite(v);
    case 'boolean':
    case 'undefined':
    case 'symbol':
      return true;
    case 'object': {
      if (v === null) return true;
      if (depth >= max) return false;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!isPlain(v[i], depth + 1, max)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return v instanceof Date;
      if ((v as { toJSON?: unknown }).toJSON !== undefined) return false;
      // for-in (no key array): an inherited enumerable key is only checked, never written.
      for (const k in v) {
        if (k.length > SAFE_LENGTH || !isPlain((v as Record<string, unknown>)[k], depth + 1, max)) {
          return false;
        }
      }
      return true;
    }
    default:
      return false; // bigint, function (a function may carry toJSON)
  }
}
