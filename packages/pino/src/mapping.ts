/**
 * One pino line → one record, by two paths that give the same record:
 *
 *   line ──pino's layout? (line-layout.ts) ──yes──► fast: its middle is Properties as is
 *     └─scanPairs──► compact form? ──yes──► fast: cut the column pairs out, reuse the rest of
 *     │                                        the line as Properties text → client.pushJson
 *     └──────────────────────────── no ──────► safe: JSON.parse → LogEntry → toDefaultRecord →
 *                                              client.push (the core serializes it safely)
 *
 * A line that is not a JSON object (or not JSON) becomes a record whose Message is the line.
 */
import { type FieldColumn, safeStringify, serializeError } from 'azure-ingestion-core';
import {
  createRecordWriter,
  digitsAt,
  idStaysInProperties,
  type LogEntry,
  PairIndex,
  pickId,
  type RecordShapeOptions,
  type RecordWriter,
  scanPairs,
  toDefaultRecord,
} from 'azure-ingestion-core/adapter';
import { LevelTable, type ResolvedLevel } from './levels.js';
import { PinoLayout } from './line-layout.js';
import type { LineConfig } from './options.js';
import {
  ERROR,
  errorValue,
  HOST,
  KeyMatcher,
  LEVEL,
  MESSAGE,
  ROLE_COUNT,
  roleTable,
  SPAN_ID,
  SPAN_ID_CAMEL,
  TIME,
  TRACE_ID,
  TRACE_ID_CAMEL,
} from './roles.js';
import { LineClock, type LineTime } from './time.js';

/** What pino tells a transport about its logger (PINO_CONFIG). */
export interface PinoConfig {
  readonly levels?: { readonly values?: Readonly<Record<string, number>> };
  readonly messageKey?: string;
  readonly errorKey?: string;
}

/** The result of the safe path. */
export type SafeResult =
  | { readonly kind: 'record'; readonly record: Record<string, unknown> }
  | {
      readonly kind: 'not-json';
      readonly record: Record<string, unknown>;
      /** Why the line is not a JSON object: JSON.parse's error, or a sentence. */
      readonly error: unknown;
    };

const QUOTE = 34;
const DEFAULT_LEVEL = 30;

export class LineMapper {
  readonly #line: LineConfig;
  readonly #levels: LevelTable;
  readonly #clock: LineClock;
  /** The core's writer: the record's text from the line's JSON pieces. */
  readonly #writer: RecordWriter;
  readonly #shape: RecordShapeOptions;
  /** `fieldColumns` (the client's): every line then takes the safe path, which applies them. */
  readonly #fields: readonly FieldColumn[] | undefined;
  readonly #maxDepth: number;
  readonly #index = new PairIndex();
  // Per-line scratch: pair number of each role, -1 when absent.
  readonly #rolePair = new Int32Array(ROLE_COUNT);
  // Per-line scratch: 1 for each pair that became a column (left out of Properties).
  #taken = new Uint8Array(32);
  #takenCount = 0;
  #roles: Map<string, number>;
  #matcher: KeyMatcher;
  #layout: PinoLayout;

  constructor(
    line: LineConfig,
    maxDepth: number,
    now: () => number = Date.now,
    fields?: readonly FieldColumn[],
  ) {
    this.#line = line;
    this.#levels = new LevelTable(line.customLevels, line.levelSeverities);
    this.#clock = new LineClock(now);
    this.#shape = line.columns === undefined ? {} : { columns: line.columns };
    this.#fields = fields?.length ? fields : undefined;
    this.#maxDepth = maxDepth;
    this.#writer = createRecordWriter(this.#shape, maxDepth, this.#fields);
    this.#roles = this.#roleTable(undefined);
    this.#matcher = new KeyMatcher(this.#roles);
    this.#layout = new PinoLayout(this.#roles);
  }

  /** Takes the logger's levels and keys as pino sends them; explicit options still win. */
  configure(config: PinoConfig | undefined): void {
    this.#levels.setLevels(config?.levels?.values);
    this.#roles = this.#roleTable(config);
    this.#matcher = new KeyMatcher(this.#roles);
    this.#layout = new PinoLayout(this.#roles);
  }

  #roleTable(config: PinoConfig | undefined): Map<string, number> {
    return roleTable({
      levelKey: this.#line.levelKey,
      timeKey: this.#line.timeKey,
      messageKey: this.#line.messageKey ?? config?.messageKey ?? 'msg',
      errorKey: this.#line.errorKey ?? config?.errorKey ?? 'err',
    });
  }

  /**
   * The record from its JSON pieces (undefined: renames clash, take the safe path). One object
   * shape for every line, all fields present: the writer's reads stay monomorphic (a spread of
   * differently shaped pieces made them several times slower).
   */
  #record(
    level: ResolvedLevel,
    iso: string,
    message: string,
    host: string | undefined,
    properties: string | undefined,
    exception: string | undefined = undefined,
    traceId: string | undefined = undefined,
    spanId: string | undefined = undefined,
  ): string | undefined {
    return this.#writer.writeJson({
      iso,
      level: level.label,
      severityNumber: level.severity,
      message,
      exception,
      traceId,
      spanId,
      host,
      properties,
    });
  }

  /**
   * The record JSON of a line in pino's compact form, reusing its text; undefined when the line
   * needs the safe path.
   */
  fast(text: string): string | undefined {
    // Field columns are looked up in decoded values: the safe path.
    if (this.#fields !== undefined) return undefined;
    const layout = this.#layout;
    if (layout.match(text)) {
      return this.#record(
        this.#levels.resolve(layout.level),
        this.#clock.of(layout.time).iso,
        layout.message,
        layout.host,
        layout.properties,
        undefined,
        layout.traceId,
        layout.spanId,
      );
    }
    return this.scanned(text);
  }

  /** `fast()` by scanning every pair (any compact line; pino's own layout has a shortcut). */
  scanned(text: string): string | undefined {
    const n = scanPairs(text, this.#index);
    if (n < 0) return undefined;
    const pos = this.#index.positions;
    const rolePair = this.#rolePair;
    // Loops, not TypedArray#fill: for a few elements the builtin's call costs more than the work.
    for (let r = 0; r < ROLE_COUNT; r++) rolePair[r] = -1;
    const matcher = this.#matcher;
    let backslash = text.indexOf('\\');
    let mapped = 0;
    for (let i = 0; i < n; i++) {
      const keyStart = pos[i * 3]!;
      const keyEnd = pos[i * 3 + 1]!;
      // An escaped key could spell a column's key: only the safe path decodes it.
      if (backslash >= 0 && backslash < keyStart) backslash = text.indexOf('\\', keyStart);
      if (backslash >= 0 && backslash < keyEnd) return undefined;
      const role = matcher.match(text, keyStart + 1, keyEnd - keyStart - 2);
      if (role < 0) continue;
      if (rolePair[role] !== -1) return undefined; // duplicate key: JSON.parse semantics needed
      rolePair[role] = i;
      mapped++;
    }
    if (mapped === 0) return this.#unmapped(text, n);
    if (this.#taken.length < n) this.#taken = new Uint8Array(this.#index.positions.length / 3);
    const taken = this.#taken;
    for (let i = 0; i < n; i++) taken[i] = 0;
    this.#takenCount = 0;
    return this.#fastMapped(text, n);
  }

  /** Where the value of a role's pair starts, or -1 when the line has no such key. */
  #valueStart(role: number): number {
    const i = this.#rolePair[role]!;
    return i < 0 ? -1 : this.#index.positions[i * 3 + 1]! + 1;
  }

  #valueEnd(role: number): number {
    return this.#index.positions[this.#rolePair[role]! * 3 + 2]!;
  }

  #value(text: string, role: number): string | undefined {
    const i = this.#rolePair[role]!;
    if (i < 0) return undefined;
    const pos = this.#index.positions;
    return text.slice(pos[i * 3 + 1]! + 1, pos[i * 3 + 2]!);
  }

  /** Leaves the pair of a role out of Properties. */
  #take(role: number): void {
    this.#taken[this.#rolePair[role]!] = 1;
    this.#takenCount++;
  }

  /** A string value's JSON text (taken), or undefined when absent, empty or not a string. */
  #stringValue(text: string, role: number): string | undefined {
    const v = this.#stringText(text, role);
    if (v === undefined) return undefined;
    this.#take(role);
    return v.length > 2 ? v : undefined;
  }

  #fastMapped(text: string, n: number): string | undefined {
    let level: ResolvedLevel;
    const levelAt = this.#valueStart(LEVEL);
    if (levelAt < 0) level = this.#levels.resolve(DEFAULT_LEVEL);
    else {
      const n = digitsAt(text, levelAt, this.#valueEnd(LEVEL));
      if (n >= 0) level = this.#levels.resolve(n);
      else {
        const levelText = this.#value(text, LEVEL)!;
        const c = levelText.charCodeAt(0);
        if (c === QUOTE) level = this.#levels.resolve(JSON.parse(levelText) as string);
        else if (c === 45) level = this.#levels.resolve(Number(levelText));
        else return undefined;
      }
      this.#take(LEVEL);
    }
    let time: LineTime;
    const timeAt = this.#valueStart(TIME);
    if (timeAt < 0) time = this.#clock.of(undefined);
    else {
      const ms = digitsAt(text, timeAt, this.#valueEnd(TIME));
      time = this.#clock.of(ms >= 0 ? ms : JSON.parse(this.#value(text, TIME)!));
      if (time.used) this.#take(TIME);
    }
    const msgText = this.#value(text, MESSAGE);
    if (msgText !== undefined) {
      if (msgText.charCodeAt(0) !== QUOTE) return undefined; // non-string messages: safe path
      this.#take(MESSAGE);
    }
    const errText = this.#value(text, ERROR);
    let exception: string | undefined;
    if (errText !== undefined && errText !== 'null') {
      const err = errorValue(JSON.parse(errText));
      exception = safeStringify(serializeError(err), this.#maxDepth - 1);
      this.#take(ERROR);
    }
    const host = this.#stringValue(text, HOST);
    const traceId = this.#pickId(text, TRACE_ID, TRACE_ID_CAMEL);
    const spanId = this.#pickId(text, SPAN_ID, SPAN_ID_CAMEL);
    if (traceId === null || spanId === null) return undefined;
    return this.#record(
      level,
      time.iso,
      msgText ?? '""',
      host,
      this.#properties(text, n),
      exception,
      traceId,
      spanId,
    );
  }

  /**
   * The id column's JSON string from the snake_case and camelCase keys, by the core's rule
   * (`pickId`: the first non-empty string; empty strings dropped, anything else kept in
   * Properties). null when both hold different non-empty strings: which one stays in Properties
   * is decided on decoded values, so the safe path takes the line.
   */
  #pickId(text: string, snake: number, camel: number): string | null | undefined {
    const a = this.#stringText(text, snake);
    const b = this.#stringText(text, camel);
    // JSON text of a string: `""` is the empty string, anything longer is not empty.
    if (a !== undefined && b !== undefined && a.length > 2 && b.length > 2 && a !== b) return null;
    if (a !== undefined) this.#take(snake);
    if (b !== undefined) this.#take(camel);
    if (a !== undefined && a.length > 2) return a;
    return b !== undefined && b.length > 2 ? b : undefined;
  }

  /** A role's value when it is a string (its JSON text, quotes included), else undefined. */
  #stringText(text: string, role: number): string | undefined {
    const v = this.#value(text, role);
    return v !== undefined && v.charCodeAt(0) === QUOTE ? v : undefined;
  }

  /** A line without any column key: only Properties (and the defaults). */
  #unmapped(text: string, n: number): string | undefined {
    return this.#record(
      this.#levels.resolve(DEFAULT_LEVEL),
      this.#clock.of(undefined).iso,
      '""',
      undefined,
      n === 0 ? undefined : text,
    );
  }

  /** The line's text without the taken pairs, or undefined when nothing is left. */
  #properties(text: string, n: number): string | undefined {
    if (this.#takenCount === 0) return text;
    if (this.#takenCount === n) return undefined;
    const pos = this.#index.positions;
    const taken = this.#taken;
    let out = '';
    let from = -1; // first pair of the current run of kept pairs
    for (let i = 0; i <= n; i++) {
      if (i < n && taken[i] === 0) {
        if (from < 0) from = i;
        continue;
      }
      if (from >= 0) {
        const run = text.slice(pos[from * 3]!, pos[(i - 1) * 3 + 2]!);
        out = out === '' ? run : `${out},${run}`;
        from = -1;
      }
    }
    return `{${out}}`;
  }

  /** The safe path: parse, map, and let the core serialize. */
  safe(text: string): SafeResult {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return { kind: 'not-json', record: this.#notJson(text), error };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const error = `not a JSON object (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`;
      return { kind: 'not-json', record: this.#notJson(text), error };
    }
    return {
      kind: 'record',
      record: toDefaultRecord(
        this.#entry(value as Record<string, unknown>),
        this.#shape,
        this.#fields,
      ),
    };
  }

  #notJson(text: string): Record<string, unknown> {
    const level = this.#levels.resolve(DEFAULT_LEVEL);
    const entry: LogEntry = {
      time: this.#clock.of(undefined).iso,
      level: level.label,
      severityNumber: level.severity,
      message: text,
      properties: { nonJson: true },
    };
    return toDefaultRecord(entry, this.#shape, this.#fields);
  }

  #entry(obj: Record<string, unknown>): LogEntry {
    const roles = this.#roles;
    const keys = Object.keys(obj);
    const found: unknown[] = new Array(ROLE_COUNT);
    const has: boolean[] = new Array(ROLE_COUNT).fill(false);
    for (const key of keys) {
      const role = roles.get(key);
      if (role === undefined) continue;
      found[role] = obj[key];
      has[role] = true;
    }
    const time = this.#clock.of(has[TIME] ? found[TIME] : undefined);
    const traceId = pickId(found[TRACE_ID], found[TRACE_ID_CAMEL]);
    const spanId = pickId(found[SPAN_ID], found[SPAN_ID_CAMEL]);
    // Properties in the line's key order, as the fast path cuts them.
    let properties: Record<string, unknown> | undefined;
    for (const key of keys) {
      const role = roles.get(key);
      if (role !== undefined && this.#consumes(role, obj[key], time, traceId, spanId)) continue;
      // Null prototype: a "__proto__" key (JSON.parse makes it an own key) stays a plain member,
      // as the fast path keeps it in the line's text.
      properties ??= Object.create(null) as Record<string, unknown>;
      properties[key] = obj[key];
    }
    const rawLevel = has[LEVEL] ? found[LEVEL] : DEFAULT_LEVEL;
    const level = this.#levels.resolve(
      typeof rawLevel === 'number' || typeof rawLevel === 'string' ? rawLevel : String(rawLevel),
    );
    const entry: LogEntry = {
      time: time.iso,
      level: level.label,
      severityNumber: level.severity,
      message: has[MESSAGE] ? found[MESSAGE] : '',
      ...(has[ERROR] && found[ERROR] !== null && { error: errorValue(found[ERROR]) }),
      ...(traceId !== undefined && { traceId }),
      ...(spanId !== undefined && { spanId }),
      ...(typeof found[HOST] === 'string' && found[HOST] !== '' && { host: found[HOST] }),
      ...(properties && { properties }),
    };
    return entry;
  }

  /** Does a column key's value leave Properties? */
  #consumes(
    role: number,
    value: unknown,
    time: LineTime,
    traceId: string | undefined,
    spanId: string | undefined,
  ): boolean {
    switch (role) {
      case LEVEL:
      case MESSAGE:
        return true;
      case ERROR:
        return value !== null;
      case TIME:
        return time.used; // a time that does not read as one stays
      case TRACE_ID:
      case TRACE_ID_CAMEL:
        return !idStaysInProperties(value, traceId);
      case SPAN_ID:
      case SPAN_ID_CAMEL:
        return !idStaysInProperties(value, spanId);
      default:
        return typeof value === 'string'; // HOST
    }
  }
}
