/**
 * The hot path: writes the default record of an error-free winston info straight to JSON text
 * (for `IngestionClient.pushJson`), in one pass over the info, with no intermediate entry,
 * record or Properties objects. Its output is the same JSON as
 * `safeStringify(toDefaultRecord(toLogEntry(info)))` (a test checks this on tricky values):
 * primitives are written here, any object value is handed to the core's `safeStringify` with
 * the depth it has inside the record. Logs carrying an error take the core's path instead.
 *
 * Why not the core's path for every log: per call it costs a Date → ISO conversion, an entry,
 * a record and a Properties object, and a JS-level walk of all of them; here the ISO string is
 * cached per millisecond and only nested objects are walked. (This writer belongs in the core
 * once a second adapter needs it.)
 */
import { type DefaultColumn, MAX_FIELD_BYTES, safeStringify } from 'azure-ingestion-core';
import type { WinstonInfo } from './options.js';

/** Characters JSON must escape, and lone surrogates (as the core's serializer tests them). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters JSON escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;
/** Strings up to this many UTF-16 units cannot exceed MAX_FIELD_BYTES in UTF-8. */
const SAFE_LENGTH = Math.floor(MAX_FIELD_BYTES / 3);

/**
 * `"key":` of property keys seen before: a logger uses a small set of keys, and a Map hit is
 * cheaper than the escape test. Bounded, so keys made of data cannot grow it without limit.
 */
const KEY_CACHE = new Map<string, string>();
const KEY_CACHE_MAX = 2048;

function jsonKey(key: string): string {
  let json = KEY_CACHE.get(key);
  if (json === undefined) {
    json = `${jsonString(key)}:`;
    if (KEY_CACHE.size < KEY_CACHE_MAX) KEY_CACHE.set(key, json);
  }
  return json;
}

function jsonString(s: string): string {
  return s.length < 256 && !NEEDS_ESCAPE.test(s) ? `"${s}"` : safeStringify(s);
}

/** The column prefixes (`"Name":`) after renames; null for a column left out. */
type Prefixes = Readonly<Record<DefaultColumn, string | null>>;

function prefixesOf(columns: Readonly<Partial<Record<DefaultColumn, string | null>>>): Prefixes {
  const name = (col: DefaultColumn): string | null => {
    const to = Object.hasOwn(columns, col) ? columns[col] : col;
    return to === null || to === undefined ? null : `${JSON.stringify(to)}:`;
  };
  return {
    TimeGenerated: name('TimeGenerated'),
    Level: name('Level'),
    SeverityNumber: name('SeverityNumber'),
    Message: name('Message'),
    Exception: name('Exception'),
    TraceId: name('TraceId'),
    SpanId: name('SpanId'),
    Host: name('Host'),
    Properties: name('Properties'),
    RecordId: name('RecordId'),
  };
}

export class RecordWriter {
  readonly #p: Prefixes;
  readonly #hostField: string;
  /** Depth limit for a value inside Properties (record = 0, Properties = 1, value = 2). */
  readonly #valueDepth: number;
  #lastMs = Number.NaN;
  #lastIso = '';
  #lastTs: unknown;
  #headIso = '';
  #headLabel = '';
  #headSeverity = Number.NaN;
  #headText = '{';
  #lastTsIso: string | undefined;

  constructor(
    columns: Readonly<Partial<Record<DefaultColumn, string | null>>>,
    host: string | undefined,
    maxDepth: number,
  ) {
    this.#p = prefixesOf(columns);
    this.#hostField = host && this.#p.Host ? `,${this.#p.Host}${jsonString(host)}` : '';
    this.#valueDepth = maxDepth - 2;
  }

  /** False when the depth limit is so low that Properties itself is cut: use the core's path. */
  get usable(): boolean {
    return this.#valueDepth >= 0;
  }

  /** ISO 8601 of an epoch-ms time; one conversion per distinct millisecond. */
  #iso(ms: number): string {
    if (ms !== this.#lastMs) {
      this.#lastMs = ms;
      this.#lastIso = new Date(ms).toISOString();
    }
    return this.#lastIso;
  }

  /** ISO 8601 of a timestamp set by a format, or undefined when it does not parse (then it is a property). */
  #timestamp(ts: unknown): string | undefined {
    // format.timestamp() gives every log of the same millisecond the same string.
    if (ts === this.#lastTs && this.#lastTsIso !== undefined) return this.#lastTsIso;
    if (typeof ts !== 'string' && typeof ts !== 'number' && !(ts instanceof Date)) return undefined;
    const ms = ts instanceof Date ? ts.getTime() : new Date(ts).getTime();
    if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined;
    const iso = this.#iso(ms);
    if (typeof ts === 'string') {
      this.#lastTs = ts;
      this.#lastTsIso = iso;
    }
    return iso;
  }

  /** The JSON of one Properties value, or undefined when JSON leaves it out. */
  #value(v: unknown): string | undefined {
    switch (typeof v) {
      case 'string':
        return jsonString(v);
      case 'number':
        return Number.isFinite(v) ? `${v}` : safeStringify(v);
      case 'boolean':
        return v ? 'true' : 'false';
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      default:
        return v === null ? 'null' : safeStringify(v, this.#valueDepth);
    }
  }

  /** `,"Properties":{…}` from the collected parts, capped like any top-level field. */
  #properties(parts: string): string {
    const json = `{${parts}}`;
    // The service cuts any field over 64 KB: a larger Properties becomes its text, truncated.
    const capped =
      json.length > SAFE_LENGTH && Buffer.byteLength(json) > MAX_FIELD_BYTES
        ? safeStringify(json)
        : json;
    return `,${this.#p.Properties}${capped}`;
  }

  /**
   * `{"TimeGenerated":…,"Level":…,"SeverityNumber":…` — the same for every log of one level
   * within one millisecond, so it is built once per (time, level) and reused.
   */
  #head(iso: string, label: string, severity: number): string {
    if (iso === this.#headIso && label === this.#headLabel && severity === this.#headSeverity) {
      return this.#headText;
    }
    const p = this.#p;
    let head = '';
    if (p.TimeGenerated) head += `,${p.TimeGenerated}"${iso}"`;
    if (p.Level) head += `,${p.Level}${jsonString(label)}`;
    if (p.SeverityNumber) head += `,${p.SeverityNumber}${severity}`;
    this.#headIso = iso;
    this.#headLabel = label;
    this.#headSeverity = severity;
    this.#headText = `{${head.slice(1)}`;
    return this.#headText;
  }

  /**
   * The record's JSON text, in one pass over the info's own keys (columns, the timestamp and
   * error keys are recognised on the way), or undefined when the info carries an error in any
   * of winston's ways (see mapping.ts `findError`): the caller then takes the core's path.
   * (An info that is itself an Error is the caller's check.)
   */
  write(info: WinstonInfo, label: string, severity: number, now: number): string | undefined {
    const message = info.message ?? '';
    if (message instanceof Error) return undefined;
    let props = '';
    let hasProps = false;
    let iso: string | undefined;
    let trace: unknown;
    let traceCamel: unknown;
    let span: unknown;
    let spanCamel: unknown;
    const keys = Object.keys(info);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const v = info[key];
      switch (key) {
        case 'level':
        case 'message':
          continue;
        case 'trace_id':
          trace = v;
          continue;
        case 'traceId':
          traceCamel = v;
          continue;
        case 'span_id':
          span = v;
          continue;
        case 'spanId':
          spanCamel = v;
          continue;
        case 'timestamp':
          iso = this.#timestamp(v);
          if (iso !== undefined) continue;
          break;
        case 'error':
        case 'err':
          if (v instanceof Error) return undefined;
          break;
        case 'stack':
          if (typeof v === 'string') return undefined;
          break;
      }
      hasProps = true;
      const json = this.#value(v);
      if (json !== undefined) props += `${props.length === 0 ? '' : ','}${jsonKey(key)}${json}`;
    }
    const p = this.#p;
    // Every part after the head is `,"Column":value`.
    let rest = '';
    if (p.Message) {
      rest += `,${p.Message}${jsonString(typeof message === 'string' ? message : safeStringify(message))}`;
    }
    rest += this.#id(p.TraceId, trace ?? traceCamel);
    rest += this.#id(p.SpanId, span ?? spanCamel);
    rest += this.#hostField;
    if (p.Properties && hasProps) rest += this.#properties(props);
    const head = this.#head(iso ?? this.#iso(now), label, severity);
    // Only when every head column is left out does the first part lose its comma.
    return head.length === 1 ? `{${rest.slice(1)}}` : `${head}${rest}}`;
  }

  /** `,"TraceId":"…"` for a non-empty string id (mapping.ts's idOf rule), else nothing. */
  #id(prefix: string | null, id: unknown): string {
    return prefix && typeof id === 'string' && id !== '' ? `,${prefix}${jsonString(id)}` : '';
  }
}
