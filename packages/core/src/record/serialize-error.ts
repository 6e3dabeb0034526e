/**
 * The JSON shape of an error: `{ type, message, stack, code?, cause?, errors?, ...own props }`.
 * Used for the `Exception` column and whenever safeStringify meets an Error. Never throws:
 * getters that throw become markers, cause chains are cycle-safe and depth-bounded.
 */

const HANDLED = new Set(['name', 'message', 'stack', 'code', 'cause', 'errors']);
/** AggregateErrors with thousands of members are clipped; the count says how many there were. */
const MAX_AGGREGATE = 100;

/** A short text of any thrown value, for markers. */
export function describeThrown(e: unknown): string {
  try {
    const m = e instanceof Error ? e.message : String(e);
    return m.length > 200 ? `${m.slice(0, 200)}…` : m;
  } catch {
    return 'unknown error';
  }
}

export function unserializableMarker(e: unknown): string {
  return `[Unserializable: ${describeThrown(e)}]`;
}

/** Reads a property; a throwing getter (or Proxy trap) gives a marker instead. */
function read(o: object, key: string): unknown {
  try {
    return (o as Record<string, unknown>)[key];
  } catch (e) {
    return unserializableMarker(e);
  }
}

function isErrorLike(v: unknown): v is object {
  if (v instanceof Error) return true;
  if (v === null || typeof v !== 'object') return false;
  return typeof read(v, 'message') === 'string' && typeof read(v, 'stack') === 'string';
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return String(v);
  } catch (e) {
    return unserializableMarker(e);
  }
}

/** err.name, unless it is the generic 'Error' and the class has a more specific name. */
function typeName(err: object): string {
  const name = read(err, 'name');
  let ctor: unknown;
  try {
    ctor = (err as { constructor?: { name?: unknown } }).constructor?.name;
  } catch {
    ctor = undefined;
  }
  const specific = typeof ctor === 'string' && ctor !== '' && ctor !== 'Object' ? ctor : undefined;
  if (typeof name === 'string' && name !== '' && (name !== 'Error' || specific === undefined)) {
    return name;
  }
  return specific ?? 'Error';
}

/** A nested error (cause or member of `errors`), or the raw value when it is not error-like. */
function nested(v: unknown, depthLeft: number, seen: Set<object>): unknown {
  if (!isErrorLike(v)) return v;
  if (seen.has(v)) return '[Circular]';
  if (depthLeft <= 0) return '[MaxDepth]';
  return shape(v, depthLeft, seen);
}

function ownProps(err: object, out: Record<string, unknown>): void {
  let keys: string[];
  try {
    keys = Object.keys(err);
  } catch {
    return;
  }
  for (const key of keys) {
    // `out` has no prototype, so "__proto__" or "constructor" become plain own keys.
    if (!HANDLED.has(key)) out[key] = read(err, key);
  }
}

function shape(err: object, depthLeft: number, seen: Set<object>): Record<string, unknown> {
  seen.add(err);
  const out: Record<string, unknown> = Object.create(null);
  out.type = typeName(err);
  out.message = text(read(err, 'message') ?? '');
  const stack = read(err, 'stack');
  if (typeof stack === 'string') out.stack = stack;
  const code = read(err, 'code');
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  const cause = read(err, 'cause');
  if (cause !== undefined) out.cause = nested(cause, depthLeft - 1, seen);
  const errors = read(err, 'errors');
  if (Array.isArray(errors)) {
    out.errors = errors.slice(0, MAX_AGGREGATE).map((e) => nested(e, depthLeft - 1, seen));
    if (errors.length > MAX_AGGREGATE) out.errorCount = errors.length;
  }
  ownProps(err, out);
  seen.delete(err);
  return out;
}

/**
 * The JSON-ready shape of an error (any thrown value: non-objects become `{ type, message }`).
 * `maxDepth` bounds the `cause` / `errors` nesting (default 10). The result has a null
 * prototype; own-property values are copied as they are (safeStringify makes them safe).
 */
export function serializeError(err: unknown, maxDepth = 10): Record<string, unknown> {
  if (err === null || (typeof err !== 'object' && typeof err !== 'function')) {
    const out: Record<string, unknown> = Object.create(null);
    out.type = err === null ? 'null' : typeof err;
    out.message = text(err);
    return out;
  }
  return shape(err, Math.max(1, Math.floor(maxDepth) || 1), new Set());
}
