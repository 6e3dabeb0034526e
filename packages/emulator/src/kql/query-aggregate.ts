/**
 * The aggregations of `summarize` (count, countif, dcount, sum, avg, min, max): each compiled
 * against the input schema into its output column and a fresh accumulator per group. Nulls are
 * skipped, as Kusto's aggregation functions skip them; dcount is exact (Kusto's is an estimate).
 */
import type { Compiled, Row, Scope } from './compile.js';
import { compileExpr } from './compile.js';
import { semantic } from './errors.js';
import type { KqlContext } from './functions/registry.js';
import { autoName } from './pipeline.js';
import type { Aggregate } from './query-parse.js';
import { groupKey, nullFor, orderValues } from './query-values.js';
import { type KType, NUMERIC } from './types.js';
import { isNull, toBool } from './values.js';

/** One group's running state of one aggregation. */
export interface Accumulator {
  add(row: Row, ctx: KqlContext): void;
  result(): unknown;
}

export interface CompiledAggregate {
  readonly name: string;
  readonly type: KType;
  start(): Accumulator;
}

function counting(pred: Compiled | undefined): () => Accumulator {
  return () => {
    let n = 0n;
    return {
      add(row, ctx) {
        if (!pred || toBool(pred.type, pred.ev(row, ctx)) === true) n++;
      },
      result: () => n,
    };
  };
}

function distinctCount(arg: Compiled): () => Accumulator {
  return () => {
    const seen = new Set<string>();
    return {
      add(row, ctx) {
        const v = arg.ev(row, ctx);
        if (!nullFor(arg.type, v)) seen.add(groupKey([v]));
      },
      result: () => BigInt(seen.size),
    };
  };
}

function summing(arg: Compiled, average: boolean): () => Accumulator {
  const exact = arg.type === 'int' || arg.type === 'long';
  return () => {
    let total: number | bigint = exact && !average ? 0n : 0;
    let n = 0;
    return {
      add(row, ctx) {
        const v = arg.ev(row, ctx);
        if (isNull(v)) return;
        n++;
        if (typeof total === 'bigint') total += BigInt(v as number | bigint);
        else total += Number(v);
      },
      result: () => (average ? (n === 0 ? null : (total as number) / n) : total),
    };
  };
}

function extreme(arg: Compiled, sign: 1 | -1): () => Accumulator {
  return () => {
    let best: unknown = null;
    return {
      add(row, ctx) {
        const v = arg.ev(row, ctx);
        if (nullFor(arg.type, v)) return;
        if (best === null || sign * orderValues(arg.type, v, best) > 0) best = v;
      },
      result: () => best,
    };
  };
}

function resultType(fn: string, arg: Compiled | undefined, at: number): KType {
  if (fn === 'count' || fn === 'countif' || fn === 'dcount') return 'long';
  const t = arg!.type;
  if (fn === 'sum' || fn === 'avg') {
    if (!NUMERIC.has(t)) throw semantic(at, `${fn}() needs a numeric argument, not ${t}`);
    return fn === 'avg' || t === 'real' ? 'real' : 'long';
  }
  if (t === 'dynamic' || t === 'bool')
    throw semantic(at, `${fn}() needs an orderable argument, not ${t}`);
  return t;
}

/** Compile one aggregation of a summarize against its input columns. */
export function compileAggregate(a: Aggregate, scope: Scope): CompiledAggregate {
  const arg = a.arg ? compileExpr(a.arg, scope) : undefined;
  if (a.fn === 'countif' && arg!.type !== 'bool' && arg!.type !== 'dynamic')
    throw semantic(a.at, `countif() needs a bool predicate, not ${arg!.type}`);
  const type = resultType(a.fn, arg, a.at);
  // Kusto's names: count_, countif_, dcount_Level, sum_Duration, avg_Duration…
  const suffix = a.arg ? autoName(a.arg, 0, '') : '';
  const name = a.name ?? `${a.fn}_${suffix}`;
  let start: () => Accumulator;
  if (a.fn === 'count') start = counting(undefined);
  else if (a.fn === 'countif') start = counting(arg);
  else if (a.fn === 'dcount') start = distinctCount(arg!);
  else if (a.fn === 'sum' || a.fn === 'avg') start = summing(arg!, a.fn === 'avg');
  else start = extreme(arg!, a.fn === 'max' ? 1 : -1);
  return { name, type, start };
}
