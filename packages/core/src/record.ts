/**
 * The default record shape shared by both adapters, so one KQL query covers winston and pino:
 * TimeGenerated, Level, SeverityNumber, Message, Exception, TraceId, SpanId, Host, Properties
 * (and RecordId, added by the engine when enabled). Runs once per log call: no copies of the
 * entry, one small object out.
 */
import { serializeError } from './error-shape.js';
import { safeStringify } from './serialize.js';
import { stripAnsi } from './severity.js';
import type { DefaultColumn, LogEntry, RecordShapeOptions } from './types.js';

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

function hasKeys(o: object | undefined): boolean {
  if (o === undefined || o === null) return false;
  for (const _ in o) return true;
  return false;
}

/** ISO 8601 UTC of the entry's time, or undefined when it cannot be read as a time. */
function isoTime(time: unknown): string | undefined {
  let ms: number;
  if (time instanceof Date) ms = time.getTime();
  else if (typeof time === 'number') ms = time;
  else if (typeof time === 'string') ms = Date.parse(time);
  else return undefined;
  // ±8.64e15 ms is the Date range; outside it (or NaN) toISOString would throw.
  return !Number.isNaN(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : undefined;
}

function message(m: unknown): string {
  if (typeof m === 'string') return m;
  return m === undefined ? '' : safeStringify(m);
}

function level(l: unknown): string {
  const s = typeof l === 'string' ? l : String(l);
  return stripAnsi(s);
}

/** The default columns in order, with their values (undefined: left out). */
function values(entry: LogEntry): Record<DefaultColumn, unknown> {
  const time = isoTime(entry.time);
  let properties = hasKeys(entry.properties) ? entry.properties : undefined;
  // An unreadable time keeps its original value, so nothing of the log is lost.
  if (time === undefined) properties = { ...properties, time: entry.time };
  return {
    TimeGenerated: time ?? new Date().toISOString(),
    Level: level(entry.level),
    SeverityNumber: entry.severityNumber,
    Message: message(entry.message),
    Exception:
      entry.error === undefined || entry.error === null ? undefined : serializeError(entry.error),
    TraceId: entry.traceId || undefined,
    SpanId: entry.spanId || undefined,
    Host: entry.host || undefined,
    Properties: properties,
    RecordId: undefined,
  };
}

/** Renamed records use a null-prototype object: a column named "__proto__" stays a plain key. */
function renamed(
  v: Record<DefaultColumn, unknown>,
  columns: NonNullable<RecordShapeOptions['columns']>,
): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const col of DEFAULT_COLUMNS) {
    const value = v[col];
    if (value === undefined) continue;
    const name = Object.hasOwn(columns, col) ? columns[col] : col;
    if (name === null || name === undefined) continue;
    out[name] = value;
  }
  return out;
}

/**
 * The default record of a log entry. Columns without a value are left out; `shape.columns`
 * renames columns (a column renamed to null is left out). Never mutates the entry; Properties
 * is the entry's own object (not a copy) unless the time had to be kept in it.
 */
export function toDefaultRecord(
  entry: LogEntry,
  shape?: RecordShapeOptions,
): Record<string, unknown> {
  const v = values(entry);
  if (shape?.columns !== undefined) return renamed(v, shape.columns);
  // A literal with a fixed key order keeps one hidden class for every record (fast to serialize).
  const out: Record<string, unknown> = {
    TimeGenerated: v.TimeGenerated,
    Level: v.Level,
    SeverityNumber: v.SeverityNumber,
  };
  out.Message = v.Message;
  if (v.Exception !== undefined) out.Exception = v.Exception;
  if (v.TraceId !== undefined) out.TraceId = v.TraceId;
  if (v.SpanId !== undefined) out.SpanId = v.SpanId;
  if (v.Host !== undefined) out.Host = v.Host;
  if (v.Properties !== undefined) out.Properties = v.Properties;
  return out;
}
