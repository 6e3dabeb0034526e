/**
 * The fast path's own fast path: a line in the layout pino itself writes,
 *
 *   {"level":30,"time":1732800000000,"pid":123,"hostname":"web-1",<ids>,<merge object>,"msg":"…"}
 *
 * (level and time first, then pino's bindings, then the merge object, and the message last),
 * recognised from its fixed ends without scanning every pair: the middle, where no column key
 * may appear, is checked by one regular expression and copied as Properties. Trace context at
 * the start of the middle (`"trace_id":"…","span_id":"…"`, as OpenTelemetry's pino
 * instrumentation and most applications put it) is cut out into its columns first. Anything else
 * (another layout, another column key anywhere in the middle, even nested, a backslash there, a
 * non-integer level or time, no message) is left to the pair scanner, which gives the same
 * record for this layout (a test compares the two on many lines).
 */
import { digitsAt, digitsEnd, escapedAt, sameAt, skipString } from 'azure-ingestion-core/adapter';
import {
  HOST,
  LEVEL,
  MESSAGE,
  SPAN_ID,
  SPAN_ID_CAMEL,
  TIME,
  TRACE_ID,
  TRACE_ID_CAMEL,
} from './roles.js';

const QUOTE = 34;
const COMMA = 44;
const CLOSE_BRACE = 125;

const escapeRegExp = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');

/**
 * Where the string that ends the line at `close` (its closing quote) opens, or -1: the nearest
 * quote before it not escaped by an odd run of backslashes (found natively, not char by char).
 */
function stringStartBefore(text: string, close: number): number {
  for (let i = text.lastIndexOf('"', close - 1); i >= 0; i = text.lastIndexOf('"', i - 1)) {
    if (!escapedAt(text, i)) return i;
    if (i === 0) return -1;
  }
  return -1;
}

/** The id roles a line's trace context may start the middle with, in roles.ts order. */
const ID_ROLES = [TRACE_ID, TRACE_ID_CAMEL, SPAN_ID, SPAN_ID_CAMEL] as const;

/**
 * The id column of one id from its snake_case and camelCase texts (JSON strings, quotes
 * included), by the core's pickId rule as mapping.ts applies it to text: the first non-empty
 * one; null when both are non-empty and differ (which one stays in Properties is then decided
 * on decoded values, by the scanner's path).
 */
function pickIdText(
  snake: string | undefined,
  camel: string | undefined,
): string | null | undefined {
  const a = snake !== undefined && snake.length > 2 ? snake : undefined;
  const b = camel !== undefined && camel.length > 2 ? camel : undefined;
  if (a !== undefined && b !== undefined && a !== b) return null;
  return a ?? b;
}

export class PinoLayout {
  /** `{"level":` */
  readonly #levelHead: string;
  /** `,"time":` */
  readonly #timeHead: string;
  /** `,"msg":` */
  readonly #messageHead: string;
  /** `"key":` of any column key, to refuse a middle that holds one (at any depth). */
  readonly #columnKey: RegExp;
  /** False when a key would need escaping in JSON: then no line is taken here. */
  readonly #usable: boolean;
  /** `,"trace_id":"` and the other id heads, by ID_ROLES index. */
  readonly #idHeads: readonly string[];
  /** Scratch: the id texts found at the start of the middle, by ID_ROLES index. */
  readonly #ids: (string | undefined)[] = [undefined, undefined, undefined, undefined];

  // What match() found (read right after a true match; no object per line).
  level = 0;
  time = 0;
  /** The message's JSON text, quotes included. */
  message = '';
  /** The hostname's JSON text, or undefined when pino wrote none (or an empty one). */
  host: string | undefined;
  /** The Properties object's text, or undefined when nothing is left for it. */
  properties: string | undefined;
  /** The trace and span id columns' JSON strings, or undefined. */
  traceId: string | undefined;
  spanId: string | undefined;

  /** `roles`: key → role, as roleTable builds it. */
  constructor(roles: ReadonlyMap<string, number>) {
    const keyOf = (role: number): string =>
      [...roles].find(([, r]) => r === role)?.[0] ?? `\u0000${role}`;
    const keys = [...roles.keys()];
    this.#usable = keys.every((k) => JSON.stringify(k) === `"${k}"`) && keyOf(HOST) === 'hostname';
    this.#levelHead = `{"${keyOf(LEVEL)}":`;
    this.#timeHead = `,"${keyOf(TIME)}":`;
    this.#messageHead = `,"${keyOf(MESSAGE)}":`;
    this.#idHeads = ID_ROLES.map((role) => `,"${keyOf(role)}":"`);
    // Every column key, the error key included: an `err` goes to the scanner, which serializes it.
    this.#columnKey = new RegExp(`"(?:${keys.map(escapeRegExp).join('|')})":`, 'g');
  }

  /** Whether `text` is in pino's layout; if so, the fields hold its parts. */
  match(text: string): boolean {
    if (!this.#usable || !sameAt(text, 0, this.#levelHead)) return false;
    const n = text.length;
    // The message last: `,"msg":"…"}`.
    if (text.charCodeAt(n - 1) !== CLOSE_BRACE || text.charCodeAt(n - 2) !== QUOTE) return false;
    const levelAt = this.#levelHead.length;
    const levelEnd = digitsEnd(text, levelAt);
    if (levelEnd < 0 || !sameAt(text, levelEnd, this.#timeHead)) return false;
    const level = digitsAt(text, levelAt, levelEnd);
    const timeAt = levelEnd + this.#timeHead.length;
    const timeEnd = digitsEnd(text, timeAt);
    const time = timeEnd < 0 ? -1 : digitsAt(text, timeAt, timeEnd);
    if (level < 0 || time < 0) return false;
    // The string that ends the line, and its key: the message only if that key is the
    // message key (a quote inside a string is escaped, so the string found is whole).
    if (escapedAt(text, n - 2)) return false; // the line's last quote is escaped: not JSON we read
    const valueAt = stringStartBefore(text, n - 2);
    const messageAt = valueAt - this.#messageHead.length;
    if (messageAt < timeEnd || !sameAt(text, messageAt, this.#messageHead)) return false;
    // pino's bindings: `,"pid":123,"hostname":"web-1"` (the pid stays a property).
    let middle = timeEnd;
    let pid = '';
    let host: string | undefined;
    if (sameAt(text, timeEnd, ',"pid":')) {
      const pidEnd = digitsEnd(text, timeEnd + 7);
      if (pidEnd > 0 && sameAt(text, pidEnd, ',"hostname":"')) {
        const hostEnd = skipString(text, pidEnd + 12);
        if (hostEnd < 0 || hostEnd > messageAt) return false;
        pid = text.slice(timeEnd + 1, pidEnd);
        host = text.slice(pidEnd + 12, hostEnd);
        middle = hostEnd;
      }
    }
    middle = this.#idsAt(text, middle, messageAt);
    if (middle < 0) return false;
    const traceId = pickIdText(this.#ids[0], this.#ids[1]);
    const spanId = pickIdText(this.#ids[2], this.#ids[3]);
    if (traceId === null || spanId === null) return false;
    // The middle (merge object and other bindings) is copied as is: no column key, no escape.
    if (middle < messageAt) {
      if (text.charCodeAt(middle) !== COMMA) return false;
      const backslash = text.indexOf('\\', middle);
      if (backslash >= 0 && backslash < messageAt) return false;
      this.#columnKey.lastIndex = middle;
      const hit = this.#columnKey.exec(text);
      if (hit !== null && hit.index < messageAt) return false;
    }
    this.level = level;
    this.time = time;
    this.message = text.slice(valueAt, n - 1);
    this.host = host !== undefined && host.length > 2 ? host : undefined;
    const rest = middle < messageAt ? text.slice(pid === '' ? middle + 1 : middle, messageAt) : '';
    this.properties = pid === '' && rest === '' ? undefined : `{${pid}${rest}}`;
    this.traceId = traceId;
    this.spanId = spanId;
    return true;
  }

  /**
   * Reads the id pairs that start the middle at `at` (string values without a backslash, each id
   * key at most once) into #ids; returns where the rest of the middle starts, or -1 when the
   * ids there are not that simple (the scanner then decides).
   */
  #idsAt(text: string, at: number, messageAt: number): number {
    const ids = this.#ids;
    for (let r = 0; r < ids.length; r++) ids[r] = undefined;
    let i = at;
    for (;;) {
      let r = 0;
      while (r < ID_ROLES.length && !sameAt(text, i, this.#idHeads[r]!)) r++;
      if (r === ID_ROLES.length) return i;
      if (ids[r] !== undefined) return -1;
      const valueAt = i + this.#idHeads[r]!.length - 1;
      const end = skipString(text, valueAt);
      if (end < 0 || end > messageAt) return -1;
      const backslash = text.indexOf('\\', valueAt);
      if (backslash >= 0 && backslash < end) return -1;
      ids[r] = text.slice(valueAt, end);
      i = end;
    }
  }
}
