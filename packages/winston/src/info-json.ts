/**
 * The hot path: the default record of an error-free winston info as JSON text, in one pass
 * over the info's own keys, with no entry, record or Properties object in between. The JSON
 * itself is the core's `RecordWriter` (shared by every adapter); here is only what is winston's:
 * which keys are columns, the `timestamp` a format set, and the ways an info carries an error
 * (see mapping.ts `findError`), which send the info to the record path instead.
 */
import { isoTime, type RecordWriter } from 'azure-ingestion-core';
import type { WinstonInfo } from './options.js';

/**
 * The record's JSON text, or undefined when the info carries an error in any of winston's
 * ways, or the core's writer cannot promise the record path's bytes: the caller then takes
 * `toDefaultRecord(toLogEntry(info))`. (An info that is itself an Error is the caller's check.)
 * Symbol keys (level, splat, message of triple-beam) are not own string keys: never read.
 */
export function infoJson(
  writer: RecordWriter,
  info: WinstonInfo,
  label: string,
  severity: number,
  host: string | undefined,
): string | undefined {
  const message = info.message ?? '';
  if (message instanceof Error) return undefined;
  let members: string | undefined;
  let time: unknown;
  let trace: unknown;
  let traceCamel: unknown;
  let span: unknown;
  let spanCamel: unknown;
  const keys = Object.keys(info);
  const shape = lastShape;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = info[key];
    // The next info from one call site has the same keys in the same order: their roles are
    // kept from the last info (one pointer comparison per key, not ten).
    let role: number;
    if (shape.keys[i] === key) role = shape.roles[i] as number;
    else {
      role = roleOf(key);
      if (i < SHAPE_MAX) {
        shape.keys[i] = key;
        shape.roles[i] = role;
      }
    }
    switch (role) {
      case SKIP:
        continue;
      case TRACE:
        trace = v;
        continue;
      case TRACE_CAMEL:
        traceCamel = v;
        continue;
      case SPAN:
        span = v;
        continue;
      case SPAN_CAMEL:
        spanCamel = v;
        continue;
      case TIMESTAMP:
        // A timestamp that does not read as a time stays a property (and the log gets `now`).
        if (isoTime(v) !== undefined) {
          time = v;
          continue;
        }
        break;
      case ERROR:
        if (v instanceof Error) return undefined;
        break;
      case STACK:
        if (typeof v === 'string') return undefined;
        break;
    }
    const member = writer.member(key, v);
    // A key whose value JSON leaves out still makes Properties present (`{}`), as in the record path.
    if (members === undefined) members = member ?? '';
    else if (member !== undefined) members = members === '' ? member : `${members},${member}`;
  }
  return writer.write({
    // The time of the call only when no timestamp format set one (Date.now() is not free).
    time: (time ?? Date.now()) as number | string | Date,
    level: label,
    severityNumber: severity,
    message,
    traceId: idOf(trace ?? traceCamel),
    spanId: idOf(span ?? spanCamel),
    host,
    properties: members === undefined ? undefined : `{${members}}`,
  });
}

const PLAIN = 0;
const SKIP = 1;
const TRACE = 2;
const TRACE_CAMEL = 3;
const SPAN = 4;
const SPAN_CAMEL = 5;
const TIMESTAMP = 6;
const ERROR = 7;
const STACK = 8;

/** What an info key is to the record: a column, a way of carrying an error, or a property. */
function roleOf(key: string): number {
  switch (key) {
    case 'level':
    case 'message':
      return SKIP;
    case 'trace_id':
      return TRACE;
    case 'traceId':
      return TRACE_CAMEL;
    case 'span_id':
      return SPAN;
    case 'spanId':
      return SPAN_CAMEL;
    case 'timestamp':
      return TIMESTAMP;
    case 'error':
    case 'err':
      return ERROR;
    case 'stack':
      return STACK;
    default:
      return PLAIN;
  }
}

/** The keys of the last info walked, and their roles (see infoJson); the first SHAPE_MAX only. */
const SHAPE_MAX = 64;
const lastShape: { keys: string[]; roles: number[] } = { keys: [], roles: [] };

/** A string id (mapping.ts's idOf rule: the snake_case key wins, non-strings are ignored). */
const idOf = (id: unknown): string | undefined => (typeof id === 'string' ? id : undefined);
