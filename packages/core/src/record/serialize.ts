/**
 * safeStringify: JSON text of any value, written once, never throwing. It runs once per log
 * call, so plain data takes a short path (a read-only check, then native JSON.stringify);
 * everything unusual goes through the careful serializer below. Choices (what users see in their records):
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

import { MAX_FIELD_BYTES, SAFE_LENGTH, truncateString } from './field-cap.js';
import { isPlain } from './plain-check.js';
import { serializeError, unserializableMarker } from './serialize-error.js';

const DEPTH_LIMIT = 1000;
const CIRCULAR = '"[Circular]"';
const MAX_DEPTH = '"[MaxDepth]"';
/** Characters that JSON must escape, and lone surrogates (JSON.stringify writes them as \u escapes). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters JSON escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

interface State {
  readonly maxDepth: number;
  readonly stack: object[];
  /**
   * While a top-level field is written, containers stop adding members past this many
   * characters: the field will be cut to 64 KB anyway, so a huge object (an HTTP client's
   * error with its sockets, a big array) costs at most ~64 KB of work per level.
   */
  limit: number;
  /** Set when a container stopped early (the field's marker then says "over N bytes"). */
  clipped: boolean;
  /**
   * Bytes that strings and binary values inside the current field lost to their own
   * truncation: if the field as a whole is cut too, its marker adds them (see truncateString).
   */
  excess: number;
}

function str(s: string): string {
  if (s.length > SAFE_LENGTH) s = truncateString(s);
  return s.length < 256 && !NEEDS_ESCAPE.test(s) ? `"${s}"` : JSON.stringify(s);
}

function num(n: number): string {
  if (Number.isFinite(n)) return String(n);
  return Number.isNaN(n) ? '"NaN"' : n > 0 ? '"Infinity"' : '"-Infinity"';
}

/** A string inside a top-level field: its own truncation is counted for the field's marker. */
function fieldStr(s: string, st: State): string {
  const cut = truncateString(s);
  if (cut !== s) st.excess += Buffer.byteLength(s, 'utf8') - Buffer.byteLength(cut, 'utf8');
  return str(cut);
}

function ser(v: unknown, depth: number, st: State): string | undefined {
  switch (typeof v) {
    case 'string':
      return v.length > SAFE_LENGTH && st.limit !== Number.POSITIVE_INFINITY
        ? fieldStr(v, st)
        : str(v);
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
      if (out.length > st.limit) return clip(st, out);
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
    if (out.length > st.limit) return clip(st, out);
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
    if (out.length > st.limit) return clip(st, out);
    const k = keys[i]!;
    const val = careful ? guarded(o, k) : (o as Record<string, unknown>)[k];
    const s = depth === 0 ? field(val, st) : ser(val, depth + 1, st);
    if (s === undefined) continue;
    if (out.length !== 1) out += ',';
    out += `${key(k)}:${s}`;
  }
  return `${out}}`;
}

/** The unfinished text of a container that stopped early (it is cut to 64 KB afterwards). */
function clip(st: State, out: string): string {
  st.clipped = true;
  return out;
}

/** A top-level field: its JSON over the service's field cap becomes a truncated string of itself. */
function field(val: unknown, st: State): string | undefined {
  st.limit = MAX_FIELD_BYTES;
  st.clipped = false;
  st.excess = 0;
  const s = ser(val, 1, st);
  st.limit = Number.POSITIVE_INFINITY;
  if (s === undefined || s.length <= SAFE_LENGTH || typeof val === 'string') return s;
  if (Buffer.byteLength(s, 'utf8') <= MAX_FIELD_BYTES) return s;
  return JSON.stringify(truncateString(s, MAX_FIELD_BYTES, st.clipped, st.excess));
}

function toJSON(v: object, depth: number, st: State): string | undefined {
  const result = (v as { toJSON: (key: string) => unknown }).toJSON('');
  if (result === v) return keyed(v, depth, st);
  if (result !== null && typeof result === 'object') return object(result, depth, st, true);
  return ser(result, depth, st);
}

const BASE64_BYTES = Math.floor((MAX_FIELD_BYTES - 64) / 4) * 3;

function binary(bytes: Uint8Array, st: State): string {
  if (bytes.length <= BASE64_BYTES) return `"${Buffer.from(bytes).toString('base64')}"`;
  const head = Buffer.from(bytes.subarray(0, BASE64_BYTES)).toString('base64');
  const out = `"${head}…[truncated ${bytes.length - BASE64_BYTES} bytes]"`;
  // What the whole base64 text would have taken, beyond what is written.
  st.excess += Math.ceil(bytes.length / 3) * 4 + 2 - Buffer.byteLength(out, 'utf8');
  return out;
}

function special(v: object, depth: number, st: State, viaToJSON: boolean): string | undefined {
  if (ArrayBuffer.isView(v)) {
    return binary(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), st);
  }
  if (v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) {
    return binary(new Uint8Array(v), st);
  }
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
    if (out.length > st.limit) return clip(st, (stringKeys ? '{' : '[') + out);
    const s = ser(val, depth + 1, st);
    if (stringKeys) {
      if (s !== undefined) out += `${out === '' ? '' : ','}${key(k as string)}:${s}`;
    } else {
      out += `${out === '' ? '' : ','}[${ser(k, depth + 1, st) ?? 'null'},${s ?? 'null'}]`;
    }
  }
  return stringKeys ? `{${out}}` : `[${out}]`;
}

const depthCap = (d: number): number =>
  Number.isFinite(d) ? Math.min(Math.max(0, Math.floor(d)), DEPTH_LIMIT) : 10;

/**
 * JSON text of any value; never throws (see the module comment for how each kind of value is
 * written). `maxDepth` (default 10, at most 1000) bounds the nesting of objects and arrays.
 *
 * Speed: most log records are plain data, which native JSON.stringify writes exactly as the
 * careful serializer would. A read-only check walk decides; the record is then written once,
 * natively, or (anything unusual, or over 64 KB, where top-level fields may need capping) by
 * the careful serializer. bench/serialize.mjs measures it against JSON.stringify.
 */
export function safeStringify(value: unknown, maxDepth = 10): string {
  return jsonOrOmitted(value, maxDepth) ?? 'null';
}

/**
 * safeStringify, except that a value JSON leaves out of an object (undefined, a function, a
 * symbol, an object whose toJSON returns one of those) gives undefined instead of `null`: the
 * JSON of a value as a member of an object (the record writer's `value()`).
 */
export function jsonOrOmitted(value: unknown, maxDepth = 10): string | undefined {
  if (typeof value === 'string') return str(value);
  const max = depthCap(maxDepth);
  try {
    if (isPlain(value, 0, max)) {
      const json = JSON.stringify(value) as string | undefined;
      // Fields need capping only when the root is an object and its JSON is over 64 KB.
      if (json === undefined || json.length <= SAFE_LENGTH || Array.isArray(value)) return json;
      if (Buffer.byteLength(json, 'utf8') <= MAX_FIELD_BYTES) return json;
    }
  } catch {
    // A getter changed its mind between the check and the write: take the careful path.
  }
  return careful(value, max);
}

/** The careful serializer alone (every value kind handled; no native shortcut). */
export function carefulStringify(value: unknown, maxDepth = 10): string {
  return careful(value, depthCap(maxDepth)) ?? 'null';
}

function careful(value: unknown, maxDepth: number): string | undefined {
  try {
    const st = {
      maxDepth,
      stack: [],
      limit: Number.POSITIVE_INFINITY,
      clipped: false,
      excess: 0,
    };
    return ser(value, 0, st);
  } catch (e) {
    // Only reachable through engine limits (e.g. a string over V8's maximum length).
    return JSON.stringify(unserializableMarker(e));
  }
}
