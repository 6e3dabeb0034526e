/**
 * Tokenizer and parser for the per-row KQL subset of DCR transforms:
 *
 *   source | where <expr> | extend A = <expr>, … | project A, B = <expr>, …
 *          | project-away A, … | project-rename New = Old, …
 *
 * Expressions: literals (numbers, 'strings', "strings", true, false, null), columns, `a.b` and
 * `a['b']` on dynamic values, + - * / %, comparisons (== != < <= > >= =~ !~), string operators
 * (contains, !contains, has, !has, startswith, endswith, in, !in), and, or, not(), parentheses,
 * function calls (checked against functions.ts). Anything else is a parse error.
 */

export type Expr =
  | { k: 'lit'; v: unknown }
  | { k: 'col'; name: string }
  | { k: 'member'; obj: Expr; key: string }
  | { k: 'call'; fn: string; args: Expr[] }
  | { k: 'unary'; op: '-' | 'not'; e: Expr }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'in'; neg: boolean; l: Expr; list: Expr[] };

export type Op =
  | { k: 'where'; e: Expr }
  | { k: 'extend'; items: Array<{ name: string; e: Expr }> }
  | { k: 'project'; items: Array<{ name: string; e: Expr }> }
  | { k: 'project-away'; names: string[] }
  | { k: 'project-rename'; pairs: Array<{ to: string; from: string }> };

type Tok = { t: 'id' | 'num' | 'str' | 'sym'; v: string; at: number };

const SYMBOLS = [
  '==',
  '!=',
  '<=',
  '>=',
  '=~',
  '!~',
  '|',
  ',',
  '(',
  ')',
  '[',
  ']',
  '.',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
];
const STRING_OPS = [
  'contains',
  '!contains',
  'has',
  '!has',
  'startswith',
  'endswith',
  'contains_cs',
  'has_cs',
];
const COMPARE = ['==', '!=', '<', '<=', '>', '>=', '=~', '!~'];
export const OPERATORS = ['where', 'extend', 'project', 'project-away', 'project-rename'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const at = i;
    if (c === '"' || c === "'") {
      let v = '';
      i++;
      while (i < src.length && src[i] !== c) {
        if (src[i] === '\\' && i + 1 < src.length) {
          const e = src[i + 1]!;
          v += e === 'n' ? '\n' : e === 't' ? '\t' : e;
          i += 2;
        } else v += src[i++];
      }
      if (i >= src.length) throw new Error(`unterminated string at ${at}`);
      i++;
      out.push({ t: 'str', v, at });
      continue;
    }
    if (/\d/.test(c)) {
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: m[0], at });
      i += m[0].length;
      continue;
    }
    // project-away / project-rename are single words; `!contains` and friends too.
    const word = /^!?[A-Za-z_][A-Za-z0-9_]*(-[a-z]+)?/.exec(src.slice(i));
    if (word && (word[0][0] !== '!' || STRING_OPS.includes(word[0]) || word[0] === '!in')) {
      const w =
        word[0].includes('-') && !OPERATORS.includes(word[0]) ? word[0].split('-')[0]! : word[0];
      out.push({ t: 'id', v: w, at });
      i += w.length;
      continue;
    }
    const sym = SYMBOLS.find((s) => src.startsWith(s, i));
    if (!sym) throw new Error(`unexpected character ${JSON.stringify(c)} at ${at}`);
    out.push({ t: 'sym', v: sym, at });
    i += sym.length;
  }
  return out;
}

class Parser {
  #i = 0;
  constructor(readonly toks: Tok[]) {}

  peek(): Tok | undefined {
    return this.toks[this.#i];
  }
  next(): Tok {
    const t = this.toks[this.#i++];
    if (!t) throw new Error('unexpected end of transform');
    return t;
  }
  accept(v: string): boolean {
    const t = this.peek();
    if (t && (t.t === 'sym' || t.t === 'id') && t.v === v) {
      this.#i++;
      return true;
    }
    return false;
  }
  expect(v: string): void {
    const t = this.next();
    if (t.v !== v) throw new Error(`expected '${v}' at ${t.at}, found '${t.v}'`);
  }
  ident(): string {
    const t = this.next();
    if (t.t !== 'id') throw new Error(`expected a column name at ${t.at}, found '${t.v}'`);
    return t.v;
  }
  done(): boolean {
    return this.#i >= this.toks.length;
  }

  expr(): Expr {
    return this.or();
  }
  or(): Expr {
    let l = this.and();
    while (this.accept('or')) l = { k: 'bin', op: 'or', l, r: this.and() };
    return l;
  }
  and(): Expr {
    let l = this.cmp();
    while (this.accept('and')) l = { k: 'bin', op: 'and', l, r: this.cmp() };
    return l;
  }
  cmp(): Expr {
    const l = this.add();
    const t = this.peek();
    if (!t) return l;
    if ((t.t === 'sym' && COMPARE.includes(t.v)) || (t.t === 'id' && STRING_OPS.includes(t.v))) {
      this.next();
      return { k: 'bin', op: t.v, l, r: this.add() };
    }
    if (t.t === 'id' && (t.v === 'in' || t.v === '!in')) {
      this.next();
      this.expect('(');
      const list: Expr[] = [this.expr()];
      while (this.accept(',')) list.push(this.expr());
      this.expect(')');
      return { k: 'in', neg: t.v === '!in', l, list };
    }
    return l;
  }
  add(): Expr {
    let l = this.mul();
    for (;;) {
      const t = this.peek();
      if (t?.t === 'sym' && (t.v === '+' || t.v === '-')) {
        this.next();
        l = { k: 'bin', op: t.v, l, r: this.mul() };
      } else return l;
    }
  }
  mul(): Expr {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      if (t?.t === 'sym' && (t.v === '*' || t.v === '/' || t.v === '%')) {
        this.next();
        l = { k: 'bin', op: t.v, l, r: this.unary() };
      } else return l;
    }
  }
  unary(): Expr {
    if (this.accept('-')) return { k: 'unary', op: '-', e: this.unary() };
    return this.postfix(this.primary());
  }
  postfix(e: Expr): Expr {
    for (;;) {
      if (this.accept('.')) e = { k: 'member', obj: e, key: this.ident() };
      else if (this.peek()?.v === '[') {
        this.next();
        const t = this.next();
        if (t.t !== 'str' && t.t !== 'num') throw new Error(`expected a key at ${t.at}`);
        this.expect(']');
        e = { k: 'member', obj: e, key: t.v };
      } else return e;
    }
  }
  primary(): Expr {
    const t = this.next();
    if (t.t === 'num') return { k: 'lit', v: Number(t.v) };
    if (t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'sym' && t.v === '(') {
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (t.t !== 'id') throw new Error(`unexpected '${t.v}' at ${t.at}`);
    if (t.v === 'true' || t.v === 'false') return { k: 'lit', v: t.v === 'true' };
    if (t.v === 'null') return { k: 'lit', v: null };
    if (this.peek()?.v === '(') {
      this.next();
      const args: Expr[] = [];
      if (!this.accept(')')) {
        do args.push(this.expr());
        while (this.accept(','));
        this.expect(')');
      }
      if (t.v === 'not') {
        if (args.length !== 1) throw new Error('not() takes one argument');
        return { k: 'unary', op: 'not', e: args[0]! };
      }
      return { k: 'call', fn: t.v, args };
    }
    return { k: 'col', name: t.v };
  }

  assignments(allowBare: boolean): Array<{ name: string; e: Expr }> {
    const items: Array<{ name: string; e: Expr }> = [];
    do {
      const name = this.ident();
      if (this.accept('=')) items.push({ name, e: this.expr() });
      else if (allowBare) items.push({ name, e: { k: 'col', name } });
      else throw new Error(`expected '=' after ${name}`);
    } while (this.accept(','));
    return items;
  }

  operator(): Op {
    const t = this.next();
    switch (t.v) {
      case 'where':
        return { k: 'where', e: this.expr() };
      case 'extend':
        return { k: 'extend', items: this.assignments(false) };
      case 'project':
        return { k: 'project', items: this.assignments(true) };
      case 'project-away': {
        const names = [this.ident()];
        while (this.accept(',')) names.push(this.ident());
        return { k: 'project-away', names };
      }
      case 'project-rename': {
        const pairs: Array<{ to: string; from: string }> = [];
        do {
          const to = this.ident();
          this.expect('=');
          pairs.push({ to, from: this.ident() });
        } while (this.accept(','));
        return { k: 'project-rename', pairs };
      }
      default:
        throw new Error(
          `operator '${t.v}' is not supported by the emulator (supported: ${OPERATORS.join(', ')})`,
        );
    }
  }
}

/** Parse a transform into its operators; throws with the position of the problem. */
export function parseKql(text: string): Op[] {
  const p = new Parser(tokenize(text));
  const first = p.next();
  if (first.v !== 'source')
    throw new Error(`a transform must start with 'source', found '${first.v}'`);
  const ops: Op[] = [];
  while (!p.done()) {
    p.expect('|');
    ops.push(p.operator());
    const t = p.peek();
    if (t && t.v !== '|') throw new Error(`unexpected '${t.v}' at ${t.at}`);
  }
  return ops;
}
