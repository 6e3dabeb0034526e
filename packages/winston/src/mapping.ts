import {
  idStaysInProperties,
  isoTime,
  type LogEntry,
  pickId,
  stripAnsi,
} from 'azure-ingestion-core/adapter';
import type { WinstonInfo } from './options.js';

/** winston's (triple-beam's) symbol keys; `Symbol.for` so any copy of triple-beam matches. */
export const LEVEL = Symbol.for('level');
export const SPLAT = Symbol.for('splat');

/** Keys of the info that become columns, never Properties. */
const COLUMN_KEYS = new Set(['level', 'message']);

/** The id keys by the column they feed (the core's pickId rule decides between them). */
const TRACE_KEYS = ['trace_id', 'traceId'] as const;
const SPAN_KEYS = ['span_id', 'spanId'] as const;

/** Where the error of an info was found, so its keys are left out of Properties. */
interface FoundError {
  readonly error: unknown;
  /** Info keys the error already accounts for. */
  readonly consumed: readonly string[];
}

/** The raw level label: `info[LEVEL]` when winston set it, else `info.level` without colours. */
export function levelLabel(info: WinstonInfo): string {
  const raw = info[LEVEL];
  const label = typeof raw === 'string' ? raw : String(info.level);
  // A logger logs a few labels over and over: the last one's answer is kept (format.colorize()
  // wraps the label in ANSI colour codes; the core's rule removes them).
  if (label !== lastLabel) {
    lastLabel = label;
    lastPlain = stripAnsi(label);
  }
  return lastPlain;
}

let lastLabel: string | undefined;
let lastPlain = '';

/**
 * Finds the error a log carries, in winston's ways of carrying one:
 * `logger.error(err)` (the info is the Error), `{ message: err }` (no errors() format),
 * meta `{ error }` / `{ err }` (and the exception handler's `info.error`), `logger.error('msg', err)`
 * (the Error is in the splat; winston copied its stack and cause onto the info), and
 * `format.errors({ stack: true })` (only `info.stack`, plus `info.cause` with `cause: true`).
 */
export function findError(info: WinstonInfo): FoundError | undefined {
  if (info instanceof Error) return { error: info, consumed: ['stack', 'cause'] };
  if (info.message instanceof Error) return { error: info.message, consumed: [] };
  if (info.error instanceof Error) return { error: info.error, consumed: ['error', 'stack'] };
  if (info.err instanceof Error) return { error: info.err, consumed: ['err', 'stack'] };
  // Both remaining styles leave `info.stack` (winston copies an Error meta's stack onto the
  // info), so the common error-free log costs no splat scan.
  if (typeof info.stack !== 'string') return undefined;
  const splat = info[SPLAT];
  if (Array.isArray(splat)) {
    for (const item of splat) {
      if (item instanceof Error) return { error: item, consumed: ['stack', 'cause'] };
    }
  }
  return { error: errorFromStack(info.stack, info.cause), consumed: ['stack', 'cause'] };
}

/** Rebuilds an Error from the stack text format.errors() leaves (its first line is `Name: message`). */
function errorFromStack(stack: string, cause: unknown): Error {
  const head = stack.slice(0, stack.indexOf('\n') >>> 0);
  const colon = head.indexOf(': ');
  const name = colon > 0 && /^[\w$.]+$/.test(head.slice(0, colon)) ? head.slice(0, colon) : 'Error';
  const message = colon > 0 ? head.slice(colon + 2) : head;
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = name;
  error.stack = stack;
  return error;
}

/** The id column of one pair of id keys (the core's rule: snake_case first, non-empty strings). */
function idOf(info: WinstonInfo, keys: readonly [string, string]): string | undefined {
  return pickId(info[keys[0]], info[keys[1]]);
}

/** Whether an info key leaves Properties for being a column or an id the columns account for. */
function isColumn(
  info: WinstonInfo,
  key: string,
  traceId: string | undefined,
  spanId: string | undefined,
): boolean {
  if (COLUMN_KEYS.has(key)) return true;
  if (key === 'trace_id' || key === 'traceId') return !idStaysInProperties(info[key], traceId);
  if (key === 'span_id' || key === 'spanId') return !idStaysInProperties(info[key], spanId);
  return false;
}

/** The time of the log: a timestamp set by format.timestamp() when it reads as a time, else `now`. */
function timeOf(info: WinstonInfo, now: number): { time: Date | number | string; used: boolean } {
  const ts = info.timestamp;
  // The core's reading of a time (epoch ms or s, date text, Date), so both paths agree.
  if (isoTime(ts) !== undefined) return { time: ts as Date | number | string, used: true };
  return { time: now, used: false };
}

/**
 * Every own enumerable string key of the info that is not a column (child-logger defaults and
 * splat meta are plain keys by then). Symbol keys are skipped by `for…in`.
 */
function propertiesOf(
  info: WinstonInfo,
  skipTimestamp: boolean,
  consumed: readonly string[],
  traceId: string | undefined,
  spanId: string | undefined,
): Record<string, unknown> | undefined {
  let props: Record<string, unknown> | undefined;
  for (const key in info) {
    if (!Object.hasOwn(info, key) || isColumn(info, key, traceId, spanId)) continue;
    if ((skipTimestamp && key === 'timestamp') || consumed.includes(key)) continue;
    // Null prototype: a "__proto__" key is then a plain member, as the JSON paths write it,
    // instead of setting the object's prototype (and vanishing from the record).
    props ??= Object.create(null) as Record<string, unknown>;
    props[key] = info[key];
  }
  return props;
}

/** Turns a winston info into the core's logger-neutral entry. Reads the info, never writes it. */
export function toLogEntry(
  info: WinstonInfo,
  severityNumber: number,
  now: number,
  host?: string,
): LogEntry {
  const found = findError(info);
  const { time, used } = timeOf(info, now);
  const message = info.message instanceof Error ? info.message.message : info.message;
  const traceId = idOf(info, TRACE_KEYS);
  const spanId = idOf(info, SPAN_KEYS);
  const properties = propertiesOf(info, used, found?.consumed ?? [], traceId, spanId);
  return {
    time,
    level: levelLabel(info),
    severityNumber,
    message: message ?? '',
    ...(found && { error: found.error }),
    ...(traceId !== undefined && { traceId }),
    ...(spanId !== undefined && { spanId }),
    ...(host !== undefined && { host }),
    ...(properties && { properties }),
  };
}

/** The marker the core's serializer writes for a value that throws when read. */
function unreadable(error: unknown): string {
  let message: unknown;
  try {
    message = (error as { message?: unknown } | null)?.message;
  } catch {
    message = undefined;
  }
  return `[Unserializable: ${typeof message === 'string' ? message : String(typeof error)}]`;
}

/**
 * A plain copy of an info whose reading threw (a throwing getter, a Proxy trap): each own key
 * read on its own, a value that throws replaced by the core's marker, so the log still lands
 * and says why. An info whose keys cannot even be listed keeps only its level and a message
 * saying so.
 */
export function readableInfo(info: WinstonInfo): WinstonInfo {
  const copy: Record<string | symbol, unknown> = {};
  const read = (key: string | symbol): void => {
    let value: unknown;
    try {
      value = info[key];
    } catch (error) {
      value = unreadable(error);
    }
    // defineProperty: a `__proto__` key stays a plain key of the copy.
    Object.defineProperty(copy, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  };
  let keys: string[];
  try {
    keys = Object.keys(info);
  } catch (error) {
    keys = [];
    copy.message = `[Unserializable log: ${unreadable(error)}]`;
  }
  for (const key of keys) read(key);
  read(LEVEL);
  return copy;
}

/** The last resort of a log that cannot be read at all: its level and why. */
export function unreadableInfo(info: WinstonInfo, error: unknown): WinstonInfo {
  const level = typeof info[LEVEL] === 'string' ? info[LEVEL] : 'info';
  return { [LEVEL]: level, level, message: `[Unserializable log: ${unreadable(error)}]` };
}
