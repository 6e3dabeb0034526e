/**
 * `fieldColumns` applied to a log's other fields (what would be Properties): each path's value
 * becomes its column (converted to the column's type when one is given) and leaves Properties.
 * The log's objects are never modified: the objects on a taken path are copied (shallow), and
 * a copy left empty by the taking is left out, so `{ user: { id } }` leaves no `user: {}`.
 *
 * A value that is absent (the path is missing, crosses a non-object, or ends on undefined or
 * null) gives no column; one that cannot become the column's type stays in Properties.
 */
import type { FieldColumn } from '../config/field-columns.js';
import { coerceTo } from './column-types.js';

type Fields = Readonly<Record<string, unknown>>;

/** The columns taken, in the option's order, and the fields left for Properties. */
export interface TakenFields {
  readonly columns: ReadonlyArray<readonly [string, unknown]>;
  /** undefined when nothing is left. */
  readonly rest: Fields | undefined;
}

/** Objects a path goes through: not arrays, and not objects that serialize as something else. */
function container(value: unknown): Fields | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
  return value as Fields;
}

/** An own enumerable key's value; a throwing getter counts as absent. */
function own(obj: Fields, key: string): unknown {
  try {
    return Object.hasOwn(obj, key) && Object.prototype.propertyIsEnumerable.call(obj, key)
      ? obj[key]
      : undefined;
  } catch {
    return undefined;
  }
}

function lookup(fields: Fields, path: readonly string[]): unknown {
  let at: Fields | undefined = fields;
  for (let i = 0; i < path.length - 1; i++) {
    at = container(own(at, path[i]!));
    if (at === undefined) return undefined;
  }
  return own(at, path[path.length - 1]!);
}

/** A shallow copy of `obj` without `key` (own enumerable string keys, as JSON sees them). */
function without(obj: Fields, key: string): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    if (k === key) continue;
    // A defined property, so that a key named __proto__ stays a plain key.
    Object.defineProperty(copy, k, {
      value: own(obj, k),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}

const isEmpty = (obj: object): boolean => Object.keys(obj).length === 0;

/** `fields` without the value at `path`; parents left empty are left out; undefined if all is gone. */
function remove(fields: Fields, path: readonly string[]): Fields | undefined {
  const [key, ...below] = path as [string, ...string[]];
  if (below.length === 0) {
    const rest = without(fields, key);
    return isEmpty(rest) ? undefined : rest;
  }
  const child = container(own(fields, key))!;
  const changed = remove(child, below);
  const rest = without(fields, key);
  if (changed !== undefined) {
    Object.defineProperty(rest, key, {
      value: changed,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return isEmpty(rest) ? undefined : rest;
}

/**
 * The field columns of a log's fields. Never modifies `fields`; returns it unchanged (same
 * object) when no column takes anything.
 */
export function takeFields(fields: Fields, columns: readonly FieldColumn[]): TakenFields {
  const taken: [string, unknown][] = [];
  let rest: Fields | undefined = fields;
  for (const c of columns) {
    if (rest === undefined) break;
    const value = lookup(rest, c.path);
    if (value === undefined || value === null) continue;
    const converted = c.type === undefined ? value : coerceTo(c.type, value);
    if (converted === undefined) continue;
    taken.push([c.column, converted]);
    rest = remove(rest, c.path);
  }
  return { columns: taken, rest };
}
