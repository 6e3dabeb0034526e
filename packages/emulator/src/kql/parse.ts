/**
 * Statements and tabular operators of a transform ("Supported KQL features in Azure Monitor
 * transformations"):
 *
 *   [let name = scalar | tabular | (p:type, …) { scalar } ;]…
 *   source | print … | <tabular let>
 *     | where … | extend … | project … | project-away … | project-rename …
 *     | parse [kind=simple|regex|relaxed [flags=…]] expr with * "text" Column:type …
 *
 * Any other operator is refused with the list the page gives.
 */
import type { Assign, Let, LetValue, Op, ParsePart, Query, Source, Tabular } from './ast.js';
import { KqlError } from './errors.js';
import { tokenize } from './lexer.js';
import { Cursor, parseExpr } from './parse-expr.js';
import type { Column, KType } from './types.js';

/** Tabular operators the transformations page lists (columnifexists is a function here). */
export const TABULAR_OPERATORS = [
  'extend',
  'project',
  'print',
  'where',
  'parse',
  'project-away',
  'project-rename',
  'datatable',
];

/** The transforms page: "limited to 10 columns per statement for performance reasons". */
export const MAX_PARSE_COLUMNS = 10;

/** `Name = expr, expr, …` (exported for the console's query layer, kql/query-parse.ts). */
export function assignments(c: Cursor): Assign[] {
  const items: Assign[] = [];
  do {
    const t = c.peek();
    const at = t?.at ?? c.end;
    const named =
      (t?.t === 'id' && c.is('=', 1)) ||
      (t?.t === 'sym' && t.v === '[' && c.peek(1)?.t === 'str' && c.is(']', 2) && c.is('=', 3));
    if (named) {
      const { name } = c.name();
      c.expect('=');
      items.push({ name, e: parseExpr(c), at });
    } else items.push({ name: undefined, e: parseExpr(c), at });
  } while (c.accept(','));
  return items;
}

function names(c: Cursor): Array<{ name: string; at: number }> {
  const out: Array<{ name: string; at: number }> = [];
  do {
    const n = c.name();
    // `Col*`: a wildcard over the names that start with Col.
    out.push({ name: c.accept('*') ? `${n.name}*` : n.name, at: n.at });
  } while (c.accept(','));
  return out;
}

function parsePattern(c: Cursor): ParsePart[] {
  const parts: ParsePart[] = [];
  for (;;) {
    const t = c.peek();
    if (!t || (t.t === 'sym' && t.v === '|') || (t.t === 'sym' && t.v === ';')) break;
    if (t.t === 'sym' && t.v === '*') {
      c.next();
      parts.push({ k: 'star' });
    } else if (t.t === 'str') {
      c.next();
      parts.push({ k: 'text', text: t.v });
    } else {
      const { name, at } = c.name('a column name or a string constant');
      const type = c.accept(':') ? c.type() : 'string';
      parts.push({ k: 'column', name, type, at });
    }
  }
  return parts;
}

/** One row-level operator after its `|` (also read by the console's query layer). */
export function parseOp(c: Cursor): Op {
  const { v: word, at } = c.next();
  switch (word) {
    case 'where':
      return { k: 'where', e: parseExpr(c), at };
    case 'extend':
      return { k: 'extend', items: assignments(c), at };
    case 'project':
      return { k: 'project', items: assignments(c), at };
    case 'project-away':
      return { k: 'project-away', names: names(c), at };
    case 'project-rename': {
      const pairs: Array<{ to: string; from: string; at: number }> = [];
      do {
        const to = c.name();
        c.expect('=');
        pairs.push({ to: to.name, from: c.name().name, at: to.at });
      } while (c.accept(','));
      return { k: 'project-rename', pairs, at };
    }
    case 'parse': {
      let kind: 'simple' | 'regex' | 'relaxed' = 'simple';
      let flags = '';
      if (c.is('kind') && c.is('=', 1)) {
        c.next();
        c.next();
        const k = c.next();
        if (k.v !== 'simple' && k.v !== 'regex' && k.v !== 'relaxed') {
          throw new KqlError(
            'SyntaxError',
            k.at,
            `parse kind must be simple, regex or relaxed, found '${k.v}'`,
          );
        }
        kind = k.v;
        if (c.is('flags') && c.is('=', 1)) {
          c.next();
          c.next();
          flags = c.next().v;
        }
      }
      const e = parseExpr(c);
      c.expect('with');
      const pattern = parsePattern(c);
      const columns = pattern.filter((p) => p.k === 'column').length;
      if (columns > MAX_PARSE_COLUMNS) {
        throw new KqlError(
          'SemanticError',
          at,
          `parse extracts ${columns} columns; a transform's parse is limited to ${MAX_PARSE_COLUMNS} columns per statement (split it into several parse statements)`,
        );
      }
      return { k: 'parse', kind, flags, e, pattern, at };
    }
    default:
      throw new KqlError(
        'SemanticError',
        at,
        `the operator '${word}' is not supported in transformations (supported: ${TABULAR_OPERATORS.join(', ')})`,
      );
  }
}

function datatable(c: Cursor, at: number): Source {
  c.expect('(');
  const columns: Column[] = [];
  do {
    const { name } = c.name();
    c.expect(':');
    columns.push({ name, type: c.type() });
  } while (c.accept(','));
  c.expect(')');
  c.expect('[');
  const values = [];
  if (!c.is(']')) {
    do {
      if (c.is(']')) break;
      values.push(parseExpr(c));
    } while (c.accept(','));
  }
  c.expect(']');
  if (values.length % columns.length !== 0) {
    throw new KqlError(
      'SemanticError',
      at,
      `datatable has ${values.length} values for ${columns.length} columns`,
    );
  }
  return { k: 'datatable', columns, values, at };
}

function tabular(c: Cursor, tabularLets: ReadonlySet<string>): Tabular {
  const t = c.next();
  let source: Source;
  if (t.t === 'id' && t.v === 'source') source = { k: 'source', at: t.at };
  else if (t.t === 'id' && t.v === 'print')
    source = { k: 'print', items: assignments(c), at: t.at };
  else if (t.t === 'id' && t.v === 'datatable') source = datatable(c, t.at);
  else if (t.t === 'id' && tabularLets.has(t.v)) source = { k: 'ref', name: t.v, at: t.at };
  else {
    throw new KqlError(
      'SemanticError',
      t.at,
      `a transform reads 'source' (or 'print'), found '${t.v}'`,
    );
  }
  const ops: Op[] = [];
  while (c.accept('|')) ops.push(parseOp(c));
  return { source, ops };
}

function isFunction(c: Cursor): boolean {
  if (!c.is('(')) return false;
  if (c.is(')', 1)) return true;
  const t = c.peek(1);
  return t?.t === 'id' && c.is(':', 2);
}

function letValue(c: Cursor, tabularLets: ReadonlySet<string>): LetValue {
  if (isFunction(c)) {
    c.expect('(');
    const params: Array<{ name: string; type: KType }> = [];
    if (!c.accept(')')) {
      do {
        const { name } = c.name('a parameter name');
        c.expect(':');
        params.push({ name, type: c.type() });
      } while (c.accept(','));
      c.expect(')');
    }
    c.expect('{');
    const body = parseExpr(c);
    c.expect('}');
    return { k: 'function', params, body };
  }
  const t = c.peek();
  if (
    t?.t === 'id' &&
    (t.v === 'source' || t.v === 'print' || t.v === 'datatable' || tabularLets.has(t.v))
  ) {
    return { k: 'tabular', t: tabular(c, tabularLets) };
  }
  return { k: 'scalar', e: parseExpr(c) };
}

/** Parse a transform; throws a KqlError pointing at the problem. */
export function parseQuery(text: string): Query {
  const c = new Cursor(tokenize(text), text.length);
  const lets: Let[] = [];
  const tabularLets = new Set<string>();
  while (c.is('let')) {
    const at = c.next().at;
    const { name } = c.name('a name');
    c.expect('=');
    const value = letValue(c, tabularLets);
    if (value.k === 'tabular') tabularLets.add(name);
    lets.push({ name, value, at });
    c.expect(';');
  }
  const body = tabular(c, tabularLets);
  c.accept(';');
  if (!c.done()) {
    const t = c.next();
    throw new KqlError('SyntaxError', t.at, `unexpected '${t.v}'`);
  }
  return { lets, body };
}
