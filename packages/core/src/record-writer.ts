/**
 * The hot path of an adapter: writes the default record straight to JSON text (for
 * `IngestionClient.pushJson`), with no record object and no walk of what is already known to
 * be JSON. Its output is exactly `safeStringify(toDefaultRecord(entry, shape), maxDepth)`
 * (tests check this on tricky values); whatever it cannot write byte for byte (an unreadable
 * time, a record near the 64 KB field cap, clashing renames) is left to that path.
 *
 * Two ways in: `entry(logEntry)` for any adapter, or, for an adapter that walks its own log
 * object (winston's info), `member(key, value)` per Properties member, then `write(parts)`;
 * parts that are JSON already (a Properties or Exception text cut from a pino line) go as is.
 *
 * Why: per log, the record path costs a Date → ISO conversion, a record object and a walk of
 * it; here the ISO text is cached per millisecond (iso-time.ts), the `{"TimeGenerated":…,
 * "Level":…,"SeverityNumber":…` head per (time, level), and only property values are walked.
 */

import { SAFE_LENGTH } from './field-cap.js';
import { isoTime } from './iso-time.js';
import { DEFAULT_COLUMNS, toDefaultRecord } from './record.js';
import { safeStringify } from './serialize.js';
import { stripAnsi } from './severity.js';
import type { DefaultColumn, LogEntry, RecordShapeOptions } from './types.js';

/** Characters JSON must escape, and lone surrogates (as the core's serializer tests them). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters JSON escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/**
 * `"key":` of keys seen before: a logger uses a small set of keys, and a Map hit is cheaper
 * than the escape test. Bounded, so keys made of data cannot grow it without limit.
 */
const KEY_CACHE = new Map<string, string>();
const KEY_CACHE_MAX = 2048;

function jsonString(s: string): string {
  return s.length < 256 && !NEEDS_ESCAPE.test(s) ? `"${s}"` : safeStringify(s);
}

function jsonKey(key: string): string {
  let json = KEY_CACHE.get(key);
  if (json === undefined) {
    json = `${jsonString(key)}:`;
    if (KEY_CACHE.size < KEY_CACHE_MAX) KEY_CACHE.set(key, json);
  }
  return json;
}

/** The Message column's text, as toDefaultRecord makes it. */
function messageJson(m: unknown): string {
  if (typeof m === 'string') return jsonString(m);
  return jsonString(m === undefined ? '' : safeStringify(m));
}

/**
 * Most log calls pass a literal message (`logger.info('user signed in', …)`): the same string
 * again and again, so the last one's JSON is kept (comparing the same string is one pointer test).
 */
let lastMessage: string | undefined;
let lastMessageJson = '';

function cachedMessageJson(m: unknown): string {
  if (typeof m !== 'string') return messageJson(m);
  if (m !== lastMessage) {
    lastMessageJson = jsonString(m);
    lastMessage = m;
  }
  return lastMessageJson;
}

const isStringOrFalsy = (v: unknown): boolean => typeof v === 'string' || !v;

/** The parts of a record whose values the writer turns into JSON itself. */
export interface RecordParts {
  /** As `LogEntry.time`. An unreadable time makes `write()` return undefined. */
  readonly time: Date | number | string;
  /** The level label (ANSI colour codes are removed, as in the record path). */
  readonly level: string;
  readonly severityNumber: number;
  /** As `LogEntry.message`: a string, or any value (written as its JSON text). */
  readonly message: unknown;
  /**
   * The Exception column as JSON text: `safeStringify(serializeError(error), maxDepth - 1)`
   * (what the record path writes for `LogEntry.error`); undefined leaves the column out.
   */
  readonly exception?: string | undefined;
  readonly traceId?: string | undefined;
  readonly spanId?: string | undefined;
  readonly host?: string | undefined;
  /**
   * The Properties column as JSON object text, e.g. built as `{${members}}` from `member()`
   * results; undefined leaves the column out (as an entry without properties does).
   */
  readonly properties?: string | undefined;
}

/** The column prefixes (`"Name":`) after renames; null for a column left out. */
type Prefixes = Readonly<Record<DefaultColumn, string | null>>;

function prefixesOf(shape: RecordShapeOptions | undefined): Prefixes | undefined {
  const columns = shape?.columns ?? {};
  const out = {} as Record<DefaultColumn, string | null>;
  const seen = new Set<string>();
  for (const col of DEFAULT_COLUMNS) {
    const to = Object.hasOwn(columns, col) ? columns[col] : col;
    if (typeof to !== 'string') {
      out[col] = null;
      continue;
    }
    // Two columns under one name: the record path keeps the later value at the earlier place.
    if (seen.has(to)) return undefined;
    seen.add(to);
    out[col] = `${JSON.stringify(to)}:`;
  }
  return out;
}

/** Writes default records as JSON text; create one per client with `createRecordWriter`. */
export class RecordWriter {
  readonly #shape: RecordShapeOptions | undefined;
  readonly #maxDepth: number;
  /** undefined when renames give two columns one name: then every write takes the record path. */
  readonly #p: Prefixes | undefined;
  /** Depth limit for a value inside Properties (record = 0, Properties = 1, value = 2). */
  readonly #valueDepth: number;
  #headIso = '';
  #headLevel = '';
  #headSeverity = Number.NaN;
  #headText = '{';
  #host: string | undefined;
  #hostText = '';

  constructor(shape: RecordShapeOptions | undefined, maxDepth: number) {
    this.#shape = shape;
    this.#maxDepth = maxDepth;
    this.#p = prefixesOf(shape);
    this.#valueDepth = maxDepth - 2;
  }

  /**
   * False when `maxDepth` is below 2: Properties itself is then cut to a marker, so its
   * members must not be written one by one with `member()` (use `entry()` or the record path).
   */
  get canWriteMembers(): boolean {
    return this.#valueDepth >= 0 && this.#p !== undefined;
  }

  /**
   * `"key":value`, one member of the Properties object as the record path writes it, or
   * undefined when JSON leaves the value out (undefined, a function, a symbol).
   */
  member(key: string, value: unknown): string | undefined {
    switch (typeof value) {
      case 'string':
        return jsonKey(key) + jsonString(value);
      case 'number':
        return jsonKey(key) + (Number.isFinite(value) ? `${value}` : safeStringify(value));
      case 'boolean':
        return jsonKey(key) + (value ? 'true' : 'false');
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      default:
        return jsonKey(key) + (value === null ? 'null' : safeStringify(value, this.#valueDepth));
    }
  }

  /**
   * The record's JSON text from its parts, or undefined when this path cannot promise the
   * record path's bytes (unreadable time, text near the 64 KB field cap, clashing renames):
   * then push `toDefaultRecord(entry, shape)` instead.
   */
  write(parts: RecordParts): string | undefined {
    const p = this.#p;
    const iso = isoTime(parts.time);
    if (iso === undefined || p === undefined) return undefined;
    const { traceId, spanId, host } = parts;
    // The record path writes any truthy id as its JSON; only strings are written here.
    if (!isStringOrFalsy(traceId) || !isStringOrFalsy(spanId) || !isStringOrFalsy(host)) {
      return undefined;
    }
    let rest = p.Message === null ? '' : `,${p.Message}${cachedMessageJson(parts.message)}`;
    if (p.Exception !== null && parts.exception !== undefined) {
      rest += `,${p.Exception}${parts.exception}`;
    }
    if (p.TraceId !== null && traceId) rest += `,${p.TraceId}${jsonString(traceId)}`;
    if (p.SpanId !== null && spanId) rest += `,${p.SpanId}${jsonString(spanId)}`;
    if (p.Host !== null && host) rest += this.#hostField(p.Host, host);
    if (p.Properties !== null && parts.properties !== undefined) {
      rest += `,${p.Properties}${parts.properties}`;
    }
    // Below SAFE_LENGTH no field can reach the 64 KB cap, so no field needs the record path's capping.
    if (rest.length > SAFE_LENGTH) return undefined;
    const head = this.#head(p, iso, parts.level, parts.severityNumber);
    // Only when every head column is left out does the first part lose its comma.
    return head.length === 1 ? `{${rest.slice(1)}}` : `${head}${rest}}`;
  }

  /** The JSON text of any entry: `write()` when it can, else the record path. */
  entry(entry: LogEntry): string {
    const error = entry.error;
    if (error === undefined || error === null) {
      const props = entry.properties;
      let properties: string | undefined;
      if (props !== undefined && props !== null) {
        for (const _ in props) {
          properties = safeStringify(props, this.#maxDepth - 1);
          break;
        }
      }
      const text = this.write({ ...entry, properties });
      if (text !== undefined) return text;
    }
    return safeStringify(toDefaultRecord(entry, this.#shape), this.#maxDepth);
  }

  /**
   * `{"TimeGenerated":…,"Level":…,"SeverityNumber":…` — the same for every log of one level
   * within one millisecond, so it is built once per (time, level) and reused.
   */
  #head(p: Prefixes, iso: string, level: string, severity: number): string {
    if (iso === this.#headIso && level === this.#headLevel && severity === this.#headSeverity) {
      return this.#headText;
    }
    let head = '';
    if (p.TimeGenerated !== null) head += `,${p.TimeGenerated}"${iso}"`;
    if (p.Level !== null) head += `,${p.Level}${jsonString(stripAnsi(level))}`;
    if (p.SeverityNumber !== null && severity !== undefined) {
      head += `,${p.SeverityNumber}${safeStringify(severity)}`;
    }
    this.#headIso = iso;
    this.#headLevel = level;
    this.#headSeverity = severity;
    this.#headText = `{${head.slice(1)}`;
    return this.#headText;
  }

  #hostField(prefix: string, host: string): string {
    if (host !== this.#host) {
      this.#host = host;
      this.#hostText = `,${prefix}${jsonString(host)}`;
    }
    return this.#hostText;
  }
}

/**
 * A writer of default records as JSON text, for `IngestionClient.pushJson`: the same bytes as
 * `safeStringify(toDefaultRecord(entry, shape), maxDepth)`, written faster. Give it the
 * client's `config.maxDepth`.
 */
export function createRecordWriter(shape?: RecordShapeOptions, maxDepth = 10): RecordWriter {
  return new RecordWriter(shape, maxDepth);
}
