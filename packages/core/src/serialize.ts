/**
 * safeStringify: JSON text of any value, in one pass, never throwing. It runs once per log call,
 * so plain objects, strings and numbers take short paths; everything unusual is handled on the
 * side. Choices (documented for users in the README):
 * - circular reference → "[Circular]" (a repeated but non-circular reference is written again);
 * - BigInt → its decimal string; NaN / Infinity / -Infinity → the strings "NaN", "Infinity", "-Infinity";
 * - Date → ISO 8601 string; an invalid Date → null (as JSON.stringify does);
 * - Error → serializeError's shape { type, message, stack, code?, cause?, errors?, ...own props };
 * - Buffer, typed arrays, DataView, ArrayBuffer → base64 of their bytes (clipped at the field cap);
 * - Map → object when every key is a string, else an array of [key, value] pairs; Set → array;
 * - RegExp → its source text "/a+/g"; boxed primitives → their primitive;
 * - undefined, functions, symbols → omitted in objects, null in arrays, null at the top;
 *   symbol keys are ignored;
 * - a throwing getter, toJSON or Proxy trap → "[Unserializable: <message>]";
 * - containers nested deeper than maxDepth (root = depth 0) → "[MaxDepth]";
 * - keys "__proto__", "constructor", "prototype" are written as ordinary keys (nothing is assigned);
 * - a string (value or key) over MAX_FIELD_BYTES UTF-8 bytes is cut at a character boundary and
 *   ends with "…[truncated N bytes]", the whole at most MAX_FIELD_BYTES bytes;
 * - the service also cuts any *field* (a top-level column) over 64 KB, which would garble a
 *   dynamic column: when the root is an object, a top-level value whose JSON is over
 *   MAX_FIELD_BYTES is replaced by that JSON text as a string, truncated with the marker.
 */
import { serializeError, unserializableMarker } from './error-shape.js';

/** The service's per-field cap (64 KB): longer values are cut by Azure. */
export const MAX_FIELD_BYTES = 65536;

/** Strings up to this many UTF-16 units cannot exceed MAX_FIELD_BYTES in UTF-8 (3 bytes per unit at most). */
const SAFE_LENGTH = Math.floor(MAX_FIELD_BYTES / 3);
const DEPTH_LIMIT = 1000;
const CIRCULAR = '"[Circular]"';
const MAX_DEPTH = '"[MaxDepth]"';
/** Characters that JSON must escape, and lone surrogates (JSON.stringify writes them as \u escapes). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters JSON escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

interface State {
  readonly maxDepth: number;
  readonly stack: object[];
}

/** The UTF-8 byte length of a string. */
export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * `s` cut to at most `maxBytes` UTF-8 bytes including the marker "…[truncated N bytes]"
 * (N = bytes removed), at a character boundary. Returns `s` itself when it fits.
 */
export function truncateString(s: string, maxBytes: number = MAX_FIELD_BYTES): string {
  if (s.length <= Math.floor(maxBytes / 3)) return s;
  const total = Buffer.byteLength(s, 'utf8');
  if (total <= maxBytes) return s;
  // The marker's length is reserved for the largest possible N, so the result always fits.
  const reserve = Buffer.byteLength(`…[truncated ${total} bytes]`);
  // Each UTF-16 unit is at least one byte: the first maxBytes units hold every byte kept.
  const head = Buffer.from(s.slice(0, maxBytes), 'utf8');
  let end = Math.max(0, Math.min(head.length, maxBytes - reserve));
  while (end > 0 && (head[end]! & 0xc0) === 0x80) end--; // back to a character start
  return `${head.toString('utf8', 0, end)}…[truncated ${total - end} bytes]`;
}

function str(s: string): string {
  if (s.length > SAFE_LENGTH) s = truncateString(s);
  return s.length < 256 && !NEEDS_ESCAPE.test(s) ? `"${s}"` : JSON.stringify(s);
}

function num(n: number): string {
  if (Number.isFinite(n)) return String(n);
  return Number.isNaN(n) ? '"NaN"' : n > 0 ? '"Infinity"' : '"-Infinity"';
}

function ser(v: unknown, depth: number, st: State): string | undefined {
  switch (typeof v) {
    case 'string':
      return str(v);
    case 'number':
      return num(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return `"${v.toString()}"`;
    case 'object':
      return v === null ? 'null' : object(v, depth, st, false);
    default:
      return undefined; // undefined, function, symbol
  }
}

function date(d: Date): string {
  const t = d.getTime();
  return Number.isNaN(t) ? 'null' : `"${d.toISOString()}"`;
}

function object(v: object, depth: number, st: State, viaToJSON: boolean): string | undefined {
  try {
    // Dates are written whole at any depth (instanceof can throw: a revoked Proxy).
    if (v instanceof Date) return date(v);
    const stack = st.stack;
    for (let i = 0; i < stack.length; i++) if (stack[i] === v) return CIRCULAR;
    if (depth >= st.maxDepth) return MAX_DEPTH;
    stack.push(v);
    try {
      return container(v, depth, st, viaToJSON);
    } finally {
      stack.pop();
    }
  } catch (e) {
    return JSON.stringify(unserializableMarker(e));
  }
}

function container(v: object, depth: number, st: State, viaToJSON: boolean): string | undefined {
  if (Array.isArray(v)) return array(v, depth, st);
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    return viaToJSON || typeof (v as { toJSON?: unknown }).toJSON !== 'function'
      ? keyed(v, depth, st)
      : toJSON(v, depth, st);
  }
  return special(v, depth, st, viaToJSON);
}

function array(a: readonly unknown[], depth: number, st: State): string {
  try {
    // No try per element: only exotic arrays (index getters, Proxies) throw, and they retry below.
    let out = '[';
    for (let i = 0; i < a.length; i++) {
      if (i !== 0) out += ',';
      out += ser(a[i], depth + 1, st) ?? 'null';
    }
    return `${out}]`;
  } catch {
    return carefulArray(a, depth, st);
  }
}

function carefulArray(a: readonly unknown[], depth: number, st: State): string {
  let out = '[';
  for (let i = 0; i < a.length; i++) {
    if (i !== 0) out += ',';
    out += ser(guarded(a, i), depth + 1, st) ?? 'null';
  }
  return `${out}]`;
}

/** A property read that turns a throwing getter into a marker. */
function guarded(o: object, k: string | number): unknown {
  try {
    return (o as Record<string | number, unknown>)[k];
  } catch (e) {
    return unserializableMarker(e);
  }
}

function key(k: string): string {
  return k.length < 256 && !NEEDS_ESCAPE.test(k) ? `"${k}"` : str(k);
}

/** Own enumerable string keys, as JSON.stringify writes them. */
function keyed(o: object, depth: number, st: State): string {
  const keys = Object.keys(o);
  try {
    // No try per property: a throwing getter is rare, and the careful loop then redoes the object.
    return members(o, keys, depth, st, false);
  } catch {
    return members(o, keys, depth, st, true);
  }
}

function members(o: object, keys: string[], depth: number, st: State, careful: boolean): string {
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const val = careful ? guarded(o, k) : (o as Record<string, unknown>)[k];
    let s = ser(val, depth + 1, st);
    if (s === undefined) continue;
    if (depth === 0 && s.length > SAFE_LENGTH && typeof val !== 'string') s = capField(s);
    if (out.length !== 1) out += ',';
    out += `${key(k)}:${s}`;
  }
  return `${out}}`;
}

/** A top-level field's JSON over the service's field cap becomes a truncated string of itself. */
function capField(json: string): string {
  return Buffer.byteLength(json, 'utf8') > MAX_FIELD_BYTES ? str(json) : json;
}

function toJSON(v: object, depth: number, st: State): string | undefined {
  const result = (v as { toJSON: (key: string) => unknown }).toJSON('');
  if (result === v) return keyed(v, depth, st);
  if (result !== null && typeof result === 'object') return object(result, depth, st, true);
  return ser(result, depth, st);
}

const BASE64_BYTES = Math.floor((MAX_FIELD_BYTES - 64) / 4) * 3;

function binary(bytes: Uint8Array): string {
  if (bytes.length <= BASE64_BYTES) return `"${Buffer.from(bytes).toString('base64')}"`;
  const head = Buffer.from(bytes.subarray(0, BASE64_BYTES)).toString('base64');
  return `"${head}…[truncated ${bytes.length - BASE64_BYTES} bytes]"`;
}

function special(v: object, depth: number, st: State, viaToJSON: boolean): string | undefined {
  if (ArrayBuffer.isView(v)) return binary(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  if (v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) return binary(new Uint8Array(v));
  if (v instanceof Error) return keyed(serializeError(v, st.maxDepth - depth), depth, st);
  if (!viaToJSON && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return toJSON(v, depth, st);
  }
  if (v instanceof Map) return map(v, depth, st);
  if (v instanceof Set) return array([...v], depth, st);
  if (v instanceof RegExp) return str(String(v));
  if (v instanceof Number || v instanceof String || v instanceof Boolean) {
    return ser(v.valueOf(), depth, st);
  }
  return keyed(v, depth, st);
}

function map(m: Map<unknown, unknown>, depth: number, st: State): string {
  let stringKeys = true;
  for (const k of m.keys()) {
    if (typeof k !== 'string') {
      stringKeys = false;
      break;
    }
  }
  let out = '';
  for (const [k, val] of m) {
    const s = ser(val, depth + 1, st);
    if (stringKeys) {
      if (s !== undefined) out += `${out === '' ? '' : ','}${key(k as string)}:${s}`;
    } else {
      out += `${out === '' ? '' : ','}[${ser(k, depth + 1, st) ?? 'null'},${s ?? 'null'}]`;
    }
  }
  return stringKeys ? `{${out}}` : `[${out}]`;
}

/**
 * JSON text of any value; never throws (see the module comment for how each kind of value is
 * written). `maxDepth` (default 10, at most 1000) bounds the nesting of objects and arrays.
 */
export function safeStringify(value: unknown, maxDepth = 10): string {
  if (typeof value === 'string') return str(value);
  const depth = Number.isFinite(maxDepth)
    ? Math.min(Math.max(0, Math.floor(maxDepth)), DEPTH_LIMIT)
    : 10;
  try {
    return ser(value, 0, { maxDepth: depth, stack: [] }) ?? 'null';
  } catch (e) {
    // Only reachable through engine limits (e.g. a string over V8's maximum length).
    return JSON.stringify(unserializableMarker(e));
  }
}
