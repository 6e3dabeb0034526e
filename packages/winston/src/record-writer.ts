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
/** Keys of the info that are columns, never Properties (see mapping.ts). */
const COLUMN_KEYS = new Set(['level', 'message', 'trace_id', 'traceId', 'span_id', 'spanId']);

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

  /** TimeGenerated: a parseable `info.timestamp` (then kept out of Properties), else `now`. */
  #time(info: WinstonInfo, now: number): { iso: string; fromInfo: boolean } {
    const ts = info.timestamp;
    // format.timestamp() gives every log of the same millisecond the same string.
    if (ts === this.#lastTs && this.#lastTsIso !== undefined) {
      return { iso: this.#lastTsIso, fromInfo: true };
    }
    if (typeof ts === 'string' || typeof ts === 'number' || ts instanceof Date) {
      const ms = ts instanceof Date ? ts.getTime() : new Date(ts).getTime();
      if (Number.isFinite(ms) && Math.abs(ms) <= 8.64e15) {
        const iso = this.#iso(ms);
        if (typeof ts === 'string') {
          this.#lastTs = ts;
          this.#lastTsIso = iso;
        }
        return { iso, fromInfo: true };
      }
    }
    return { iso: this.#iso(now), fromInfo: false };
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

  /** Properties as JSON (undefined when the info has no other key), capped like a top-level field. */
  #properties(info: WinstonInfo, skipTimestamp: boolean): string | undefined {
    let out: string | undefined;
    for (const key in info) {
      if (!Object.hasOwn(info, key) || COLUMN_KEYS.has(key)) continue;
      if (skipTimestamp && key === 'timestamp') continue;
      const json = this.#value(info[key]);
      if (out === undefined) out = '{';
      if (json === undefined) continue;
      out += `${out.length === 1 ? '' : ','}${jsonString(key)}:${json}`;
    }
    if (out === undefined) return undefined;
    out += '}';
    // The service cuts any field over 64 KB: a larger Properties becomes its text, truncated.
    return out.length > SAFE_LENGTH && Buffer.byteLength(out) > MAX_FIELD_BYTES
      ? safeStringify(out)
      : out;
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

  /** The record's JSON text for an info that carries no error. */
  write(info: WinstonInfo, label: string, severity: number, now: number): string {
    const p = this.#p;
    const { iso, fromInfo } = this.#time(info, now);
    // Every part after the head is `,"Column":value`.
    let rest = '';
    if (p.Message) {
      const m = info.message ?? '';
      rest += `,${p.Message}${jsonString(typeof m === 'string' ? m : safeStringify(m))}`;
    }
    const trace = info.trace_id ?? info.traceId;
    if (p.TraceId && typeof trace === 'string' && trace !== '') {
      rest += `,${p.TraceId}${jsonString(trace)}`;
    }
    const span = info.span_id ?? info.spanId;
    if (p.SpanId && typeof span === 'string' && span !== '') {
      rest += `,${p.SpanId}${jsonString(span)}`;
    }
    rest += this.#hostField;
    if (p.Properties) {
      const props = this.#properties(info, fromInfo);
      if (props !== undefined) rest += `,${p.Properties}${props}`;
    }
    const head = this.#head(iso, label, severity);
    // Only when every head column is left out does the first part lose its comma.
    return head.length === 1 ? `{${rest.slice(1)}}` : `${head}${rest}}`;
  }
}
