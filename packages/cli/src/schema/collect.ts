/**
 * What sample logs hold: for every field, how many records have it and of which kinds its
 * values are. Lines of pino or winston JSON output are first split the way the transports
 * split them (`send --map`): the keys that fill the default columns (level, time, message,
 * error, host, trace ids) are left out, the rest is what would be `Properties`; any other
 * NDJSON is a record of the stream as it is, and its top-level keys are its columns.
 */
import type { ColumnType } from 'azure-ingestion-core';
import { idStaysInProperties, inferType, isoTime, pickId } from 'azure-ingestion-core/adapter';

/** How the records map onto the stream. */
export type Shape = 'pino' | 'winston' | 'raw';

/** One field: a path of keys (one key for a raw record's column). */
export interface FieldStats {
  readonly path: readonly string[];
  /** Records where the field holds a value (not null). */
  present: number;
  /** Values seen per inferred type. */
  readonly types: Map<ColumnType, number>;
  /** Of the `string` values, those that are numbers written as text (`"12.5"`). */
  numericText: number;
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface Collected {
  readonly shape: Shape;
  readonly records: number;
  /** Fields in the order first seen. */
  readonly fields: readonly FieldStats[];
}

/** Nesting followed into the fields of mapped logs (deeper objects are one dynamic value). */
const MAX_DEPTH = 3;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The shape a record suggests, or undefined when it is not a logger's line. */
function shapeOf(o: Json): Shape | undefined {
  if (typeof o.level === 'number' && ('msg' in o || 'time' in o)) return 'pino';
  if (typeof o.level === 'string' && 'message' in o) return 'winston';
  return undefined;
}

/** The shape most records have (pino or winston only when more than half are their lines). */
export function detectShape(records: readonly Json[]): Shape {
  const counts = { pino: 0, winston: 0, raw: 0 };
  for (const r of records) counts[shapeOf(r) ?? 'raw']++;
  if (counts.pino * 2 > records.length) return 'pino';
  if (counts.winston * 2 > records.length) return 'winston';
  return 'raw';
}

/** Keys of the trace and span id pairs, and whether each leaves Properties (the core's rule). */
function idKeys(o: Json): Set<string> {
  const out = new Set<string>();
  for (const [snake, camel] of [
    ['trace_id', 'traceId'],
    ['span_id', 'spanId'],
  ] as const) {
    const id = pickId(o[snake], o[camel]);
    for (const key of [snake, camel]) {
      if (key in o && !idStaysInProperties(o[key], id)) out.add(key);
    }
  }
  return out;
}

/** The keys the transports turn into default columns, for a line of `shape`. */
function columnKeys(o: Json, shape: Shape): Set<string> {
  const keys = idKeys(o);
  if (shape === 'pino') {
    keys.add('level').add('msg');
    if (isoTime(o.time) !== undefined) keys.add('time');
    if (o.err !== undefined && o.err !== null) keys.add('err');
    if (typeof o.hostname === 'string') keys.add('hostname');
  } else if (shape === 'winston') {
    keys.add('level').add('message');
    if (isoTime(o.timestamp) !== undefined) keys.add('timestamp');
    // format.errors({ stack: true }) leaves `stack` (and `cause`): the Exception column.
    if (typeof o.stack === 'string') keys.add('stack').add('cause');
  }
  return keys;
}

/** Counts the records' fields into `fields` (keyed by the path's JSON). */
export class FieldCollector {
  readonly #shape: Shape;
  readonly #fields = new Map<string, FieldStats>();
  #records = 0;

  constructor(shape: Shape) {
    this.#shape = shape;
  }

  add(record: Json): void {
    this.#records++;
    if (this.#shape === 'raw') {
      for (const [key, value] of Object.entries(record)) this.#count([key], value, false);
      return;
    }
    const skip = columnKeys(record, this.#shape);
    for (const [key, value] of Object.entries(record)) {
      if (!skip.has(key)) this.#count([key], value, true);
    }
  }

  #count(path: readonly string[], value: unknown, nested: boolean): void {
    if (nested && isObject(value) && path.length < MAX_DEPTH && Object.keys(value).length > 0) {
      for (const [key, v] of Object.entries(value)) this.#count([...path, key], v, true);
      return;
    }
    const id = JSON.stringify(path);
    let stats = this.#fields.get(id);
    if (stats === undefined) {
      stats = { path, present: 0, types: new Map(), numericText: 0 };
      this.#fields.set(id, stats);
    }
    const type = inferType(value);
    if (type === undefined) return; // null
    stats.present++;
    stats.types.set(type, (stats.types.get(type) ?? 0) + 1);
    if (type === 'string' && NUMBER_TEXT.test(value as string)) stats.numericText++;
  }

  result(): Collected {
    return { shape: this.#shape, records: this.#records, fields: [...this.#fields.values()] };
  }
}
