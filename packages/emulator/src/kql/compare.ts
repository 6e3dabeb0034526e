/**
 * Comparisons typed as in KQL: numbers compare across int/long/real, datetime with datetime,
 * timespan with timespan, and so on; a comparison across unrelated types (`Num == "5"`) is an
 * error at load ("Cannot compare values of types long and string"). A dynamic value compares
 * with any type by the scalar it holds (a guess: Kusto's exact rules for dynamic are not
 * documented). Nulls follow "Null values": `==` with one null is false, `!=` is true, two nulls
 * give null, `<` and friends give null.
 */

import { type KType, NUMERIC } from './types.js';
import { fromDynamic, isNull, toStr } from './values.js';

/** Whether `a OP b` may be written (types compatible), for ==, !=, <, <=, >, >=. */
export function comparable(a: KType, b: KType): boolean {
  if (a === 'dynamic' || b === 'dynamic') return true;
  if (NUMERIC.has(a) && NUMERIC.has(b)) return true;
  return a === b;
}

/** -1, 0, 1; NaN when the values are of kinds that do not order (a dynamic mismatch). */
function order(ta: KType, a: unknown, tb: KType, b: unknown): number {
  if (ta === 'dynamic' || tb === 'dynamic') {
    if (ta === 'dynamic' && tb === 'dynamic') return dynamicEquals(a, b) ? 0 : Number.NaN;
    const d = ta === 'dynamic' ? fromDynamic(a) : fromDynamic(b);
    if (d.t === 'dynamic') return Number.NaN;
    return ta === 'dynamic' ? order(d.t, d.v, tb, b) : order(ta, a, d.t, d.v);
  }
  if (NUMERIC.has(ta) && NUMERIC.has(tb)) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : Number.NaN;
  }
  if (ta !== tb) return Number.NaN;
  if (ta === 'string' || ta === 'guid') {
    const x = a as string;
    const y = b as string;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta === 'bool') return a === b ? 0 : a ? 1 : -1;
  const x = a as bigint;
  const y = b as bigint;
  return x < y ? -1 : x > y ? 1 : 0;
}

function dynamicEquals(a: unknown, b: unknown): boolean {
  return (
    JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)) ===
    JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))
  );
}

/** A null of the type: strings have none (they hold ''). */
function nullOf(t: KType, v: unknown): boolean {
  return t !== 'string' && isNull(v);
}

export function compareOp(
  op: string,
  ta: KType,
  a: unknown,
  tb: KType,
  b: unknown,
): boolean | null {
  const na = nullOf(ta, a);
  const nb = nullOf(tb, b);
  if (op === '==' || op === '!=') {
    if (na && nb) return null;
    if (na || nb) return op === '!=';
    const eq = order(ta, a, tb, b) === 0;
    return op === '==' ? eq : !eq;
  }
  if (na || nb) return null;
  const o = order(ta, a, tb, b);
  if (Number.isNaN(o)) return false;
  switch (op) {
    case '<':
      return o < 0;
    case '<=':
      return o <= 0;
    case '>':
      return o > 0;
    default:
      return o >= 0;
  }
}

/** `=~` and `!~`: case-insensitive string equality. */
export function equalsIgnoreCase(
  op: string,
  ta: KType,
  a: unknown,
  tb: KType,
  b: unknown,
): boolean {
  const eq = toStr(ta, a).toLowerCase() === toStr(tb, b).toLowerCase();
  return op === '=~' ? eq : !eq;
}
