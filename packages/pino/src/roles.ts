/**
 * Which keys of a pino line become columns, and under what rule. One table for both paths
 * (the fast text path and the safe parse path), so they cannot disagree.
 */
import { sameAt } from 'azure-ingestion-core/adapter';

export const LEVEL = 0;
export const TIME = 1;
export const MESSAGE = 2;
export const ERROR = 3;
export const HOST = 4;
export const TRACE_ID = 5;
export const TRACE_ID_CAMEL = 6;
export const SPAN_ID = 7;
export const SPAN_ID_CAMEL = 8;
export const ROLE_COUNT = 9;

/** The keys of a line that map to columns, by role. */
export interface LineKeys {
  readonly levelKey: string;
  readonly timeKey: string;
  readonly messageKey: string;
  readonly errorKey: string;
}

/** key → role. Earlier roles win when two options name the same key. */
export function roleTable(keys: LineKeys): Map<string, number> {
  const table = new Map<string, number>();
  const entries: [string, number][] = [
    [keys.levelKey, LEVEL],
    [keys.timeKey, TIME],
    [keys.messageKey, MESSAGE],
    [keys.errorKey, ERROR],
    ['hostname', HOST],
    ['trace_id', TRACE_ID],
    ['traceId', TRACE_ID_CAMEL],
    ['span_id', SPAN_ID],
    ['spanId', SPAN_ID_CAMEL],
  ];
  for (const [key, role] of entries) if (!table.has(key)) table.set(key, role);
  return table;
}

/**
 * pino's serialized error (`{ type, message, stack, aggregateErrors?, ...own }`, causes already
 * folded into message and stack by pino-std-serializers) as the core's error input. The only
 * difference is the name of an AggregateError's members: pino's `aggregateErrors` is the core's
 * (and winston's) `errors`. The core's serializeError then keeps pino's `type`.
 */
export function errorValue(err: unknown): unknown {
  if (err !== null && typeof err === 'object' && 'aggregateErrors' in err) {
    const { aggregateErrors, ...rest } = err as Record<string, unknown>;
    if (Array.isArray(aggregateErrors) && !('errors' in rest)) {
      return { ...rest, errors: aggregateErrors };
    }
  }
  return err;
}

/**
 * Finds the role of a key inside a line without slicing it out: keys are bucketed by length and
 * compared in place, so the scan of a line allocates no key strings.
 */
export class KeyMatcher {
  // Per key length: the keys and their roles side by side (no tuples to destructure per key).
  readonly #keys: string[][] = [];
  readonly #roles: number[][] = [];

  constructor(table: ReadonlyMap<string, number>) {
    for (const [key, role] of table) {
      this.#keys[key.length] ??= [];
      this.#roles[key.length] ??= [];
      this.#keys[key.length]!.push(key);
      this.#roles[key.length]!.push(role);
    }
  }

  /** The role of the key text[start, start + length), or -1. */
  match(text: string, start: number, length: number): number {
    const keys = this.#keys[length];
    if (keys === undefined) return -1;
    for (let k = 0; k < keys.length; k++) {
      if (sameAt(text, start, keys[k]!)) return this.#roles[length]![k]!;
    }
    return -1;
  }
}
