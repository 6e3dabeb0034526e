/**
 * Scalar expressions, lowest precedence first (Kusto's order):
 *
 *   or  <  and  <  comparisons, string operators, in, matches regex  <  + -  <  * / %  <  unary -
 *   <  a.b, a[…]  <  literals, names, calls, ( … )
 */
import type { Expr } from './ast.js';
import { KqlError } from './errors.js';
import type { Tok } from './lexer.js';
import { STRING_OPERATORS } from './operators.js';
import { type KType, typeFromSyntax } from './types.js';

const COMPARE = new Set(['==', '!=', '<>', '<', '<=', '>', '>=', '=~', '!~']);
/** Word operators between two scalars: those the transforms page lists, and others to refuse. */
const WORD_OPS = new Set([
  ...STRING_OPERATORS.filter((op) => /^!?[a-z]/.test(op)),
  'hasprefix',
  '!hasprefix',
  'hassuffix',
  '!hassuffix',
  'has_any',
  'has_all',
  'in~',
  '!in~',
  'has~',
]);
/** Typed null/number literals: `int(null)`, `real(1)`, `bool(true)`. */
const TYPED_LITERALS = new Set(['int', 'long', 'real', 'double', 'bool', 'boolean', 'decimal']);

/** A cursor over tokens, shared by the expression and statement parsers. */
export class Cursor {
  #i = 0;
  constructor(
    readonly toks: Tok[],
    readonly end: number,
    /** What the text is, for "unexpected end of the …". */
    readonly subject = 'transform',
  ) {}

  peek(offset = 0): Tok | undefined {
    return this.toks[this.#i + offset];
  }
  next(): Tok {
    const t = this.toks[this.#i++];
    if (!t) throw new KqlError('SyntaxError', this.end, `unexpected end of the ${this.subject}`);
    return t;
  }
  is(v: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t !== undefined && (t.t === 'sym' || t.t === 'id') && t.v === v;
  }
  accept(v: string): boolean {
    if (!this.is(v)) return false;
    this.#i++;
    return true;
  }
  expect(v: string): Tok {
    const t = this.next();
    if (t.v !== v || (t.t !== 'sym' && t.t !== 'id')) {
      throw new KqlError('SyntaxError', t.at, `expected '${v}', found '${t.v}'`);
    }
    return t;
  }
  /** A name: an identifier or `['quoted name']`. */
  name(what = 'a column name'): { name: string; at: number } {
    const t = this.next();
    if (t.t === 'id') return { name: t.v, at: t.at };
    if (t.t === 'sym' && t.v === '[') {
      const s = this.next();
      if (s.t !== 'str') throw new KqlError('SyntaxError', s.at, `expected ${what}`);
      this.expect(']');
      return { name: s.v, at: t.at };
    }
    throw new KqlError('SyntaxError', t.at, `expected ${what}, found '${t.v}'`);
  }
  type(): KType {
    const t = this.next();
    const type = t.t === 'id' || t.t === 'raw' ? typeFromSyntax(t.v) : undefined;
    if (!type) throw new KqlError('SyntaxError', t.at, `'${t.v}' is not a scalar type`);
    return type;
  }
  done(): boolean {
    return this.#i >= this.toks.length;
  }
}

type Level = (c: Cursor) => Expr;

/** A left-associative level: `next (op next)*`. */
function chain(c: Cursor, ops: ReadonlyArray<string>, next: Level): Expr {
  let l = next(c);
  while (ops.some((op) => c.is(op))) {
    const t = c.next();
    l = { k: 'bin', op: t.v, l, r: next(c), at: t.at };
  }
  return l;
}

export function parseExpr(c: Cursor): Expr {
  return chain(c, ['or'], and);
}

function and(c: Cursor): Expr {
  return chain(c, ['and'], compare);
}

function compare(c: Cursor): Expr {
  const l = additive(c);
  const t = c.peek();
  if (!t || (t.t !== 'sym' && t.t !== 'id')) return l;
  if (t.t === 'sym' && COMPARE.has(t.v)) {
    c.next();
    return { k: 'bin', op: t.v === '<>' ? '!=' : t.v, l, r: additive(c), at: t.at };
  }
  if (t.t !== 'id') return l;
  if (t.v === 'in' || t.v === '!in') {
    c.next();
    c.expect('(');
    const list: Expr[] = [parseExpr(c)];
    while (c.accept(',')) list.push(parseExpr(c));
    c.expect(')');
    return { k: 'in', op: t.v, l, list, at: t.at };
  }
  if (t.v === 'between' || t.v === '!between') {
    // Parsed to be refused with a clear message: between is not on the transforms page.
    c.next();
    c.expect('(');
    const low = parseExpr(c);
    c.expect('..');
    parseExpr(c);
    c.expect(')');
    return { k: 'bin', op: t.v, l, r: low, at: t.at };
  }
  if (t.v === 'matches' && c.is('regex', 1)) {
    c.next();
    c.next();
    return { k: 'bin', op: 'matches regex', l, r: additive(c), at: t.at };
  }
  if (WORD_OPS.has(t.v) || WORD_OPS.has(t.v.toLowerCase())) {
    c.next();
    return { k: 'bin', op: t.v, l, r: additive(c), at: t.at };
  }
  return l;
}

function additive(c: Cursor): Expr {
  return chain(c, ['+', '-'], multiplicative);
}

function multiplicative(c: Cursor): Expr {
  return chain(c, ['*', '/', '%'], unary);
}

function unary(c: Cursor): Expr {
  const t = c.peek();
  if (t?.t === 'sym' && t.v === '-') {
    c.next();
    return { k: 'neg', e: unary(c), at: t.at };
  }
  if (t?.t === 'sym' && t.v === '+') {
    c.next();
    return unary(c);
  }
  return postfix(c, primary(c));
}

function postfix(c: Cursor, e: Expr): Expr {
  for (;;) {
    if (c.is('.')) {
      const at = c.next().at;
      // `a.b` and `a.['b']` name the same property.
      const key = c.name('a property name');
      e = { k: 'index', obj: e, key: { k: 'lit', type: 'string', v: key.name, at: key.at }, at };
    } else if (c.is('[')) {
      const at = c.next().at;
      const key = parseExpr(c);
      c.expect(']');
      e = { k: 'index', obj: e, key, at };
    } else return e;
  }
}

function typedLiteral(c: Cursor, name: string, at: number): Expr {
  c.expect('(');
  const type = typeFromSyntax(name);
  if (!type) throw new KqlError('SemanticError', at, `the type '${name}' is not supported`);
  let t = c.next();
  let v: unknown;
  if (t.t === 'id' && t.v === 'null') v = null;
  else if (t.t === 'id' && (t.v === 'true' || t.v === 'false')) v = t.v === 'true';
  else {
    const neg = t.t === 'sym' && t.v === '-';
    if (neg) t = c.next();
    if (t.t !== 'long' && t.t !== 'real')
      throw new KqlError(
        'SyntaxError',
        t.at,
        `a ${name}() literal holds a number, true, false or null`,
      );
    v = `${neg ? '-' : ''}${t.v}`;
  }
  c.expect(')');
  return { k: 'call', fn: `$literal:${type}`, args: [{ k: 'lit', type: 'string', v, at }], at };
}

function skipBalanced(c: Cursor): void {
  c.expect('(');
  let depth = 1;
  while (depth > 0) {
    const t = c.next();
    if (t.t === 'sym' && t.v === '(') depth++;
    else if (t.t === 'sym' && t.v === ')') depth--;
  }
}

function primary(c: Cursor): Expr {
  const t = c.next();
  switch (t.t) {
    case 'long':
      return { k: 'lit', type: 'long', v: BigInt(t.v), at: t.at };
    case 'real':
      return { k: 'lit', type: 'real', v: Number(t.v), at: t.at };
    case 'timespan':
      return { k: 'lit', type: 'timespan', v: BigInt(t.raw!), at: t.at };
    case 'str':
      return { k: 'lit', type: 'string', v: t.v, at: t.at };
    case 'raw':
      return {
        k: 'call',
        fn: `$raw:${t.v}`,
        args: [{ k: 'lit', type: 'string', v: t.raw, at: t.at }],
        at: t.at,
      };
    case 'sym':
      if (t.v === '(') {
        const e = parseExpr(c);
        c.expect(')');
        return e;
      }
      if (t.v === '[') {
        const s = c.next();
        if (s.t !== 'str') throw new KqlError('SyntaxError', s.at, 'expected a quoted name');
        c.expect(']');
        return { k: 'name', name: s.v, at: t.at };
      }
      throw new KqlError('SyntaxError', t.at, `unexpected '${t.v}'`);
    case 'id':
      break;
  }
  if (t.v === 'true' || t.v === 'false')
    return { k: 'lit', type: 'bool', v: t.v === 'true', at: t.at };
  if (!c.is('(')) return { k: 'name', name: t.v, at: t.at };
  const lower = t.v.toLowerCase();
  if (TYPED_LITERALS.has(lower)) return typedLiteral(c, lower, t.at);
  if (lower === 'dynamic') {
    skipBalanced(c);
    return { k: 'dynamic-literal', at: t.at };
  }
  if (t.v === 'typeof') {
    c.expect('(');
    const type = c.type();
    c.expect(')');
    return { k: 'typeof', type, at: t.at };
  }
  c.expect('(');
  const args: Expr[] = [];
  if (!c.accept(')')) {
    do args.push(parseExpr(c));
    while (c.accept(','));
    c.expect(')');
  }
  return { k: 'call', fn: t.v, args, at: t.at };
}
