/**
 * What the query-time operators need of values: a total order for `order by` and `top` (within
 * one column type, nulls placed by the caller), and a key that says when two rows are the same
 * for `summarize … by` and `distinct`.
 */
import type { KType } from './types.js';
import { fromDynamic, isNull, jsonReplacer } from './values.js';

function cmp<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Kinds of dynamic scalars, in the order mixed kinds sort (numbers, strings, bools, others). */
const DYNAMIC_RANK: Partial<Record<KType, number>> = { long: 0, real: 0, string: 1, bool: 2 };

function orderDynamic(a: unknown, b: unknown): number {
  const x = fromDynamic(a);
  const y = fromDynamic(b);
  const rx = DYNAMIC_RANK[x.t] ?? 3;
  const ry = DYNAMIC_RANK[y.t] ?? 3;
  if (rx !== ry) return rx - ry;
  if (rx === 0) return cmp(Number(x.v), Number(y.v));
  if (rx === 3) return cmp(JSON.stringify(x.v, jsonReplacer), JSON.stringify(y.v, jsonReplacer));
  return cmp(x.v as string | boolean, y.v as string | boolean);
}

/** Order two non-null values of type `t`: negative, 0 or positive. */
export function orderValues(t: KType, a: unknown, b: unknown): number {
  switch (t) {
    case 'dynamic':
      return orderDynamic(a, b);
    case 'real': {
      // NaN sorts before every number, as in .NET.
      const x = a as number;
      const y = b as number;
      if (Number.isNaN(x) || Number.isNaN(y))
        return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
      return cmp(x, y);
    }
    case 'bool':
      return cmp(a ? 1 : 0, b ? 1 : 0);
    default:
      // string and guid (ordinal), int (number), long, datetime and timespan (bigint).
      return cmp(a as string | number | bigint, b as string | number | bigint);
  }
}

/** Whether a value of type `t` is null for ordering (strings have no null: '' sorts as text). */
export function nullFor(t: KType, v: unknown): boolean {
  return t !== 'string' && isNull(v);
}

/** The grouping key of a list of values: equal keys, equal values (bigints kept exact). */
export function groupKey(values: readonly unknown[]): string {
  return JSON.stringify(values, (_k, v: unknown) =>
    typeof v === 'bigint' ? { $long: v.toString() } : v === undefined ? null : v,
  );
}
