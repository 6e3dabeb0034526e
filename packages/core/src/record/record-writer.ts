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

import type { FieldColumn } from '../config/field-columns.js';
import type { DefaultColumn, LogEntry, RecordShapeOptions } from '../types.js';
import { DEFAULT_COLUMNS, toDefaultRecord } from './default-record.js';
import { SAFE_LENGTH } from './field-cap.js';
import { isoTime } from './iso-time.js';
import { jsonOrOmitted, safeStringify } from './serialize.js';
import { stripAnsi } from './severity.js';

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
  if (s.length <= SHORT) return plainShort(s) ? `"${s}"` : safeStringify(s);
  return s.length < 256 && !NEEDS_ESCAPE.test(s) ? `"${s}"` : safeStringify(s);
}

/** Up to this length a loop over the characters beats a regular expression call (values, ids). */
const SHORT = 24;

/** NEEDS_ESCAPE's test, for short text. */
function plainShort(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
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

/**
 * The record's text up to Properties, without a comma after `{` when every head column is left
 * out: `{"TimeGenerated":…,"Message":…,"Host":…`.
 */
function frontText(head: string, middle: string): string {
  return head.length === 1 && middle.length > 0 ? `{${middle.slice(1)}` : head + middle;
}

/**
 * `s` as one flat string: V8 keeps a concatenation as a rope of its pieces and flattens it, in
 * place, the first time a character is read. A string reused for many records is flattened
 * once here rather than walked again in every record that contains it.
 */
function flatten(s: string): string {
  s.charCodeAt(0);
  return s;
}

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

/**
 * A record's parts that are JSON text already, as cut from a line another logger serialized
 * (pino): written as they are, with no check, so each must be valid JSON of its kind.
 */
export interface RecordJsonParts {
  /** The time as canonical ISO 8601 text (`2030-01-02T03:04:05.678Z`), without quotes. */
  readonly iso: string;
  /** The level label (plain text) and its severity number. */
  readonly level: string;
  readonly severityNumber: number;
  /** The message as a JSON string, quotes included (`""` for none). */
  readonly message: string;
  /** JSON text of the Exception column; undefined leaves it out. */
  readonly exception?: string | undefined;
  /** JSON strings (quotes included) of the id and host columns; undefined leaves them out. */
  readonly traceId?: string | undefined;
  readonly spanId?: string | undefined;
  readonly host?: string | undefined;
  /** JSON object text of Properties; undefined leaves it out. */
  readonly properties?: string | undefined;
}

/** The column prefixes (`"Name":`) after renames; null for a column left out. */
type Prefixes = Readonly<Record<DefaultColumn, string | null>>;

/** `,"Name":` per column after renames (`,` + the prefix); '' for a column left out. */
function commaPrefixes(p: Prefixes): Readonly<Record<DefaultColumn, string>> {
  const out = {} as Record<DefaultColumn, string>;
  for (const col of DEFAULT_COLUMNS) out[col] = p[col] === null ? '' : `,${p[col]}`;
  return out;
}

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
  readonly #fields: readonly FieldColumn[] | undefined;
  readonly #maxDepth: number;
  /**
   * undefined when renames give two columns one name, or field columns are set: then every
   * write takes the record path.
   */
  readonly #p: Prefixes | undefined;
  /** Depth limit for a value inside Properties (record = 0, Properties = 1, value = 2). */
  readonly #valueDepth: number;
  #headIso = '';
  #headLevel = '';
  #headSeverity = Number.NaN;
  #headText = '{';
  /** `,"Properties":` after renames (unused when the column is left out). */
  readonly #propertiesPrefix: string;
  /** `,"Name":` of every column, for `writeJson`. */
  readonly #c: Readonly<Record<DefaultColumn, string>> | undefined;
  /** The last `#plainFront` and what it was made of. */
  #front = '';
  #frontHead = '';
  #frontMessage: string | undefined;
  #frontHost: string | undefined;

  constructor(
    shape: RecordShapeOptions | undefined,
    maxDepth: number,
    fields?: readonly FieldColumn[],
  ) {
    this.#shape = shape;
    this.#fields = fields?.length ? fields : undefined;
    this.#maxDepth = maxDepth;
    // Field columns are looked up in decoded values, which only the record path has.
    this.#p = this.#fields ? undefined : prefixesOf(shape);
    this.#valueDepth = maxDepth - 2;
    this.#propertiesPrefix = `,${this.#p?.Properties ?? ''}`;
    this.#c = this.#p && commaPrefixes(this.#p);
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
    const json = this.value(value);
    return json === undefined ? undefined : jsonKey(key) + json;
  }

  /**
   * The JSON text of a Properties member's value as the record path writes it, or undefined
   * when JSON leaves it out: `member()` without its key, for an adapter that keeps the keys'
   * text itself (`memberKeys`).
   */
  value(value: unknown): string | undefined {
    switch (typeof value) {
      case 'string':
        return jsonString(value);
      case 'number':
        return Number.isFinite(value) ? `${value}` : safeStringify(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
      default:
        return value === null ? 'null' : jsonOrOmitted(value, this.#valueDepth);
    }
  }

  /**
   * The texts that open a Properties member of `key`: `{"key":` for the first member and
   * `,"key":` for the others, each one flat string. Properties is then
   * `first₀ + value(v₀) + next₁ + value(v₁) + … + '}'`: two pieces per member, for an adapter that
   * keeps these per key (winston's per-shape cache).
   */
  memberKeys(key: string): { readonly first: string; readonly next: string } {
    const json = jsonKey(key);
    return { first: flatten(`{${json}`), next: flatten(`,${json}`) };
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
    const head = this.#head(p, iso, parts.level, parts.severityNumber);
    // Most logs have no error and no ids: their text up to Properties is the same for every log
    // of one (head, message, host) and is reused, built once as one flat string (cheaper to copy
    // into the request than a rope of a dozen pieces).
    const plain = parts.exception === undefined && !traceId && !spanId;
    const front =
      plain && typeof parts.message === 'string'
        ? this.#plainFront(p, head, parts.message, host)
        : frontText(head, this.#middle(p, parts.message, parts.exception, traceId, spanId, host));
    const props =
      p.Properties !== null && parts.properties !== undefined
        ? this.#propertiesPrefix + parts.properties
        : '';
    // Below SAFE_LENGTH no field can reach the 64 KB cap, so no field needs the record path's capping.
    if (front.length - head.length + props.length > SAFE_LENGTH) return undefined;
    // Only when every column before Properties is left out does Properties lose its comma.
    return front.length === 1 ? `{${props.slice(1)}}` : `${front}${props}}`;
  }

  /**
   * The columns between the head and Properties, each with its leading comma (a Message that
   * is the last one's string is not serialized again).
   */
  #middle(
    p: Prefixes,
    message: unknown,
    exception: string | undefined,
    traceId: string | undefined,
    spanId: string | undefined,
    host: string | undefined,
  ): string {
    let mid = p.Message === null ? '' : `,${p.Message}${cachedMessageJson(message)}`;
    if (p.Exception !== null && exception !== undefined) mid += `,${p.Exception}${exception}`;
    if (p.TraceId !== null && traceId) mid += `,${p.TraceId}${jsonString(traceId)}`;
    if (p.SpanId !== null && spanId) mid += `,${p.SpanId}${jsonString(spanId)}`;
    if (p.Host !== null && host) mid += `,${p.Host}${jsonString(host)}`;
    return mid;
  }

  /** `frontText` of a log without error or ids, kept for the next log of the same head, message and host. */
  #plainFront(p: Prefixes, head: string, message: string, host: string | undefined): string {
    if (head !== this.#frontHead || message !== this.#frontMessage || host !== this.#frontHost) {
      this.#frontHead = head;
      this.#frontMessage = message;
      this.#frontHost = host;
      this.#front = flatten(
        frontText(head, this.#middle(p, message, undefined, undefined, undefined, host)),
      );
    }
    return this.#front;
  }

  /**
   * The record's text from parts that are JSON already (see `RecordJsonParts`): the same
   * bytes as `write()` of the parts they encode. Undefined when renames give two columns one
   * name (then take the record path). The fields are not capped here: `pushJsonUnchecked`
   * re-serializes text long enough to hold a field over 64 KB.
   */
  writeJson(r: RecordJsonParts): string | undefined {
    const p = this.#p;
    const c = this.#c;
    if (p === undefined || c === undefined) return undefined;
    const head = this.#head(p, r.iso, r.level, r.severityNumber);
    // A rope of few pieces: the head is one flat string, each column two more.
    let s = head;
    if (c.Message !== '') s = s + c.Message + r.message;
    if (c.Exception !== '' && r.exception !== undefined) s = s + c.Exception + r.exception;
    if (c.TraceId !== '' && r.traceId !== undefined) s = s + c.TraceId + r.traceId;
    if (c.SpanId !== '' && r.spanId !== undefined) s = s + c.SpanId + r.spanId;
    if (c.Host !== '' && r.host !== undefined) s = s + c.Host + r.host;
    if (c.Properties !== '' && r.properties !== undefined) s = s + c.Properties + r.properties;
    // Only when every head column is left out does the first column lose its comma.
    return head.length === 1 ? `{${s.slice(2)}}` : `${s}}`;
  }

  /** The JSON text of any entry: `write()` when it can, else the record path. */
  entry(entry: LogEntry): string {
    const error = entry.error;
    if ((error === undefined || error === null) && this.#p !== undefined) {
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
    return safeStringify(toDefaultRecord(entry, this.#shape, this.#fields), this.#maxDepth);
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
    this.#headText = flatten(`{${head.slice(1)}`);
    return this.#headText;
  }
}

/**
 * A writer of default records as JSON text, for `IngestionClient.pushJson`: the same bytes as
 * `safeStringify(toDefaultRecord(entry, shape, fields), maxDepth)`, written faster. Give it the
 * client's `config.maxDepth` and `config.fieldColumns`. With field columns, `write()` and
 * `writeJson()` return undefined and `canWriteMembers` is false (the record path applies them).
 */
export function createRecordWriter(
  shape?: RecordShapeOptions,
  maxDepth = 10,
  fields?: readonly FieldColumn[],
): RecordWriter {
  return new RecordWriter(shape, maxDepth, fields);
}
