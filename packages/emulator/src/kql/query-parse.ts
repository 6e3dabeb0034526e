/**
 * Queries of the web console: a table name, then the row-level operators of transforms (parsed
 * by parse.ts, so they mean exactly what they mean in a transform) and the query-time operators
 * that transforms may not use:
 *
 *   AppLogs_CL
 *     | where … | extend … | project … | project-away … | project-rename … | parse …
 *     | take n | limit n
 *     | order by e [asc|desc] [nulls first|last], … | sort by …
 *     | top n by e [asc|desc] [nulls first|last]
 *     | count
 *     | summarize [Name =] count() | countif(p) | dcount(e) | sum(e) | avg(e) | min(e) | max(e), …
 *         [by [Name =] e, …]
 *     | distinct e, … | distinct *
 *
 * Transforms never reach this file: parseQuery in parse.ts refuses these operators as before.
 */
import type { Assign, Expr, Op } from './ast.js';
import { KqlError } from './errors.js';
import { tokenize } from './lexer.js';
import { assignments, parseOp, TABULAR_OPERATORS } from './parse.js';
import { Cursor, parseExpr } from './parse-expr.js';

/** One `order by` key. */
export interface SortKey {
  readonly e: Expr;
  readonly desc: boolean;
  readonly nullsFirst: boolean;
  readonly at: number;
}

/** An aggregation of `summarize`: the function, its argument (if any) and the output name. */
export interface Aggregate {
  readonly name: string | undefined;
  readonly fn: string;
  readonly arg: Expr | undefined;
  readonly at: number;
}

export type QueryOp =
  | { readonly k: 'row'; readonly op: Op }
  | { readonly k: 'take'; readonly n: number; readonly at: number }
  | { readonly k: 'sort'; readonly keys: SortKey[]; readonly at: number }
  | { readonly k: 'top'; readonly n: number; readonly key: SortKey; readonly at: number }
  | { readonly k: 'count'; readonly at: number }
  | {
      readonly k: 'summarize';
      readonly aggs: Aggregate[];
      readonly by: Assign[];
      readonly at: number;
    }
  | { readonly k: 'distinct'; readonly items: Assign[] | '*'; readonly at: number };

export interface TableQuery {
  readonly table: string;
  readonly at: number;
  readonly ops: QueryOp[];
}

/** Operators of a query besides the row-level ones, for the message that lists what works. */
export const QUERY_OPERATORS = [
  'take',
  'limit',
  'order by',
  'sort by',
  'top',
  'count',
  'summarize',
  'distinct',
];

/** Aggregation functions of `summarize`, with whether they take an argument. */
export const AGGREGATES: Readonly<Record<string, boolean>> = {
  count: false,
  countif: true,
  dcount: true,
  sum: true,
  avg: true,
  min: true,
  max: true,
};

const ROW_OPERATORS = TABULAR_OPERATORS.filter((op) => op !== 'print' && op !== 'datatable');

function count(c: Cursor, what: string): number {
  const t = c.next();
  if (t.t !== 'long') throw new KqlError('SyntaxError', t.at, `${what} needs a row count`);
  return Number(t.v);
}

function sortKey(c: Cursor): SortKey {
  const at = c.peek()?.at ?? c.end;
  const e = parseExpr(c);
  // Kusto's defaults: descending; nulls first when ascending, last when descending.
  let desc = true;
  if (c.accept('asc')) desc = false;
  else c.accept('desc');
  let nullsFirst = !desc;
  if (c.accept('nulls')) {
    if (c.accept('first')) nullsFirst = true;
    else {
      c.expect('last');
      nullsFirst = false;
    }
  }
  return { e, desc, nullsFirst, at };
}

function aggregate(c: Cursor): Aggregate {
  const t = c.peek();
  const at = t?.at ?? c.end;
  let name: string | undefined;
  if (t?.t === 'id' && c.is('=', 1)) {
    name = c.name().name;
    c.expect('=');
  }
  const fn = c.next();
  if (fn.t !== 'id' || !(fn.v in AGGREGATES) || !c.is('(')) {
    throw new KqlError(
      'SemanticError',
      fn.at,
      `summarize takes aggregations: ${Object.keys(AGGREGATES)
        .map((a) => `${a}()`)
        .join(', ')}; found '${fn.v}'`,
    );
  }
  c.expect('(');
  const arg = AGGREGATES[fn.v] ? parseExpr(c) : undefined;
  c.expect(')');
  return { name, fn: fn.v, arg, at };
}

function summarize(c: Cursor, at: number): QueryOp {
  const aggs: Aggregate[] = [];
  if (!c.is('by')) {
    do aggs.push(aggregate(c));
    while (c.accept(','));
  }
  const by = c.accept('by') ? assignments(c) : [];
  if (aggs.length === 0 && by.length === 0)
    throw new KqlError('SyntaxError', at, 'summarize needs an aggregation or a by clause');
  return { k: 'summarize', aggs, by, at };
}

function queryOp(c: Cursor): QueryOp {
  const t = c.peek();
  if (!t) return { k: 'row', op: parseOp(c) };
  const at = t.at;
  switch (t.t === 'id' ? t.v : '') {
    case 'take':
    case 'limit':
      c.next();
      return { k: 'take', n: count(c, t.v), at };
    case 'order':
    case 'sort': {
      c.next();
      c.expect('by');
      const keys: SortKey[] = [];
      do keys.push(sortKey(c));
      while (c.accept(','));
      return { k: 'sort', keys, at };
    }
    case 'top': {
      c.next();
      const n = count(c, 'top');
      c.expect('by');
      return { k: 'top', n, key: sortKey(c), at };
    }
    case 'count':
      c.next();
      return { k: 'count', at };
    case 'summarize':
      c.next();
      return summarize(c, at);
    case 'distinct':
      c.next();
      return { k: 'distinct', items: c.accept('*') ? '*' : assignments(c), at };
  }
  if (t.t === 'id' && ROW_OPERATORS.includes(t.v)) return { k: 'row', op: parseOp(c) };
  throw new KqlError(
    'SemanticError',
    at,
    `the operator '${t.v}' is not supported by the emulator's queries (supported: ${[...ROW_OPERATORS, ...QUERY_OPERATORS].join(', ')})`,
  );
}

/** Parse a console query; throws a KqlError pointing at the problem. */
export function parseTableQuery(text: string): TableQuery {
  const c = new Cursor(tokenize(text), text.length, 'query');
  if (c.done()) throw new KqlError('SyntaxError', 0, 'the query is empty: start with a table name');
  const { name, at } = c.name('a table name');
  const ops: QueryOp[] = [];
  while (c.accept('|')) ops.push(queryOp(c));
  c.accept(';');
  if (!c.done()) {
    const t = c.next();
    throw new KqlError('SyntaxError', t.at, `unexpected '${t.v}' (operators follow a '|')`);
  }
  return { table: name, at, ops };
}
