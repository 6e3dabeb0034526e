/**
 * The default record shape shared by both adapters, so one KQL query covers winston and pino:
 * TimeGenerated, Level, SeverityNumber, Message, Exception, TraceId, SpanId, Host, Properties
 * (and RecordId, added by the engine when enabled). Runs once per log call: no copies of the
 * entry, one small object out.
 */

import type { FieldColumn } from '../config/field-columns.js';
import type { DefaultColumn, LogEntry, RecordShapeOptions } from '../types.js';
import type { ColumnType } from './column-types.js';
import { takeFields } from './field-values.js';
import { isoOfMs, isoTime } from './iso-time.js';
import { safeStringify } from './serialize.js';
import { serializeError } from './serialize-error.js';
import { stripAnsi } from './severity.js';

export const DEFAULT_COLUMNS: readonly DefaultColumn[] = Object.freeze([
  'TimeGenerated',
  'Level',
  'SeverityNumber',
  'Message',
  'Exception',
  'TraceId',
  'SpanId',
  'Host',
  'Properties',
  'RecordId',
]);

/** The column type of each default column (templates/dcr.json declares them so). */
export const DEFAULT_COLUMN_TYPES: Readonly<Record<DefaultColumn, ColumnType>> = Object.freeze({
  TimeGenerated: 'datetime',
  Level: 'string',
  SeverityNumber: 'int',
  Message: 'string',
  Exception: 'dynamic',
  TraceId: 'string',
  SpanId: 'string',
  Host: 'string',
  Properties: 'dynamic',
  RecordId: 'string',
});

function hasKeys(o: object | undefined): boolean {
  if (o === undefined || o === null) return false;
  for (const _ in o) return true;
  return false;
}

function message(m: unknown): string {
  if (typeof m === 'string') return m;
  return m === undefined ? '' : safeStringify(m);
}

function level(l: unknown): string {
  const s = typeof l === 'string' ? l : String(l);
  return stripAnsi(s);
}

/** Renamed records use a null-prototype object: a column named "__proto__" stays a plain key. */
function renamed(
  values: readonly unknown[],
  columns: NonNullable<RecordShapeOptions['columns']>,
): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (let i = 0; i < values.length; i++) {
    const col = DEFAULT_COLUMNS[i]!;
    const name = Object.hasOwn(columns, col) ? columns[col] : col;
    if (values[i] !== undefined && typeof name === 'string') out[name] = values[i];
  }
  return out;
}

const NO_FIELDS: ReadonlyArray<readonly [string, unknown]> = Object.freeze([]);

/** Appends the field columns' values to a record. */
function withFields(
  record: Record<string, unknown>,
  columns: ReadonlyArray<readonly [string, unknown]>,
): Record<string, unknown> {
  for (const [name, value] of columns) record[name] = value;
  return record;
}

/**
 * The default record of a log entry. Columns without a value are left out; `shape.columns`
 * renames columns (a column renamed to null is left out); `fields` (the resolved `fieldColumns`,
 * `client.config.fieldColumns`) moves values out of Properties into columns of their own, after
 * the default ones. Never mutates the entry; Properties is the entry's own object (not a copy)
 * unless an unreadable time had to be kept in it or a field column took a value out of it.
 */
export function toDefaultRecord(
  entry: LogEntry,
  shape?: RecordShapeOptions,
  fields?: readonly FieldColumn[],
): Record<string, unknown> {
  const time = isoTime(entry.time);
  let properties = hasKeys(entry.properties) ? entry.properties : undefined;
  let taken = NO_FIELDS;
  if (fields !== undefined && properties !== undefined) {
    ({ columns: taken, rest: properties } = takeFields(properties, fields));
  }
  // An unreadable time is replaced by now, and its original kept so nothing of the log is lost.
  if (time === undefined) properties = { ...properties, time: entry.time };
  const error = entry.error;
  const exception = error === undefined || error === null ? undefined : serializeError(error);
  const out: Record<string, unknown> = {
    TimeGenerated: time ?? isoOfMs(Date.now()),
    Level: level(entry.level),
    SeverityNumber: entry.severityNumber,
    Message: message(entry.message),
  };
  if (shape?.columns !== undefined) {
    const v = [out.TimeGenerated, out.Level, out.SeverityNumber, out.Message, exception];
    v.push(entry.traceId || undefined, entry.spanId || undefined, entry.host || undefined);
    return withFields(renamed([...v, properties], shape.columns), taken);
  }
  // Same key order for every record: one hidden class, fast to serialize.
  if (exception !== undefined) out.Exception = exception;
  if (entry.traceId) out.TraceId = entry.traceId;
  if (entry.spanId) out.SpanId = entry.spanId;
  if (entry.host) out.Host = entry.host;
  if (properties !== undefined) out.Properties = properties;
  return taken.length === 0 ? out : withFields(out, taken);
}
