/**
 * The hot path: the default record of an error-free winston info as JSON text, in one pass
 * over the info's own keys, with no entry, record or Properties object in between. The JSON
 * itself is the core's `RecordWriter` (shared by every adapter); here is only what is winston's:
 * which keys are columns, the `timestamp` a format set, and the ways an info carries an error
 * (see mapping.ts `findError`), which send the info to the record path instead.
 */
import {
  idStaysInProperties,
  isoTime,
  pickId,
  type RecordWriter,
} from 'azure-ingestion-core/adapter';
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
  // Properties so far without its closing brace; '' when present but still empty.
  let props: string | undefined;
  let time: unknown;
  let trace: string | undefined;
  let traceCamel: string | undefined;
  let span: string | undefined;
  let spanCamel: string | undefined;
  // The values in one native call: a load per key by name is a megamorphic lookup (keys vary),
  // the most expensive step of this loop (bench/winston-hot-path.mjs --before). Same order as
  // the keys; a getter that removes keys while read leaves them unaligned: the record path then.
  const keys = Object.keys(info);
  const values = Object.values(info);
  if (values.length !== keys.length) return undefined;
  const shape = lastShape;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = values[i];
    // The next info from one call site has the same keys in the same order: their roles are
    // kept from the last info (one pointer comparison per key, not ten).
    let slot = i;
    if (shape.keys[i] !== key) {
      if (i < SHAPE_MAX) learn(shape, i, key, writer);
      else slot = -1;
    }
    const role = slot < 0 ? roleOf(key) : (shape.roles[slot] as number);
    switch (role) {
      case SKIP:
        continue;
      // A string under an id key is the column's (see below); anything else is a property.
      case TRACE:
        if (typeof v !== 'string') break;
        trace = v;
        continue;
      case TRACE_CAMEL:
        if (typeof v !== 'string') break;
        traceCamel = v;
        continue;
      case SPAN:
        if (typeof v !== 'string') break;
        span = v;
        continue;
      case SPAN_CAMEL:
        if (typeof v !== 'string') break;
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
    // Properties as `{"k1":v1,"k2":v2}` from the slots' `{"k":` / `,"k":` texts and the values'
    // JSON: two pieces per member. A key whose value JSON leaves out still makes Properties
    // present (`{}`), as in the record path.
    const json = writer.value(v);
    if (json === undefined) props ??= '';
    else if (props === undefined || props === '') {
      props = (slot < 0 ? writer.memberKeys(key).first : (shape.open[slot] as string)) + json;
    } else props = props + (slot < 0 ? writer.memberKeys(key).next : shape.next[slot]) + json;
  }
  const traceId = pickId(trace, traceCamel);
  const spanId = pickId(span, spanCamel);
  // Two different ids under the two spellings: the second stays in Properties, at its place
  // among the keys, which the record path writes (rare; not worth a second walk here).
  if (staysIn(traceCamel, traceId) || staysIn(spanCamel, spanId)) return undefined;
  return writer.write({
    // The time of the call only when no timestamp format set one (Date.now() is not free).
    time: (time ?? Date.now()) as number | string | Date,
    level: label,
    severityNumber: severity,
    message,
    traceId,
    spanId,
    host,
    properties: props === undefined ? undefined : props === '' ? '{}' : `${props}}`,
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

/**
 * The keys of the last info walked (the first SHAPE_MAX), with each one's role and its member
 * key texts `{"key":` and `,"key":` (see infoJson).
 */
const SHAPE_MAX = 64;
interface Shape {
  readonly keys: string[];
  readonly roles: number[];
  readonly open: string[];
  readonly next: string[];
}
const lastShape: Shape = { keys: [], roles: [], open: [], next: [] };

/** What a key is to the record, and its member texts, once worked out. */
interface KeyInfo {
  readonly role: number;
  readonly open: string;
  readonly next: string;
}

/**
 * Per key seen: infos of other shapes (other call sites logging in turn) find their keys here
 * rather than working them out again. Bounded, so keys made of data cannot grow it without limit.
 */
const KEY_INFO = new Map<string, KeyInfo>();
const KEY_INFO_MAX = 2048;

/** Slot `i` of the shape now holds `key`. */
function learn(shape: Shape, i: number, key: string, writer: RecordWriter): void {
  let info = KEY_INFO.get(key);
  if (info === undefined) {
    const { first, next } = writer.memberKeys(key);
    info = { role: roleOf(key), open: first, next };
    if (KEY_INFO.size < KEY_INFO_MAX) KEY_INFO.set(key, info);
  }
  shape.keys[i] = key;
  shape.roles[i] = info.role;
  shape.open[i] = info.open;
  shape.next[i] = info.next;
}

/**
 * Whether a string id found under an id key stays in Properties (the core's rule; the snake_case
 * key's string is never the one left over, since it is picked first when not empty).
 */
const staysIn = (id: string | undefined, picked: string | undefined): boolean =>
  id !== undefined && idStaysInProperties(id, picked);
