/**
 * Type-checking and compiling scalar expressions. Every expression gets its KQL type at load
 * (from the stream's column types), so a transform Azure would refuse is refused here too:
 * comparing across types (`Num == "5"`), `+` on strings, an unknown column, a function
 * outside the transformations page's list. The evaluator of each expression is a closure
 * over a row of the values the transform holds (see types.ts).
 */
import type { Expr } from './ast.js';
import { comparable, compareOp, equalsIgnoreCase } from './compare.js';
import { semantic } from './errors.js';
import { FUNCTIONS, isAllowed, NOT_EMULATED, unknownFunction } from './functions/index.js';
import type { KqlContext } from './functions/registry.js';
import { literal } from './literals.js';
import { arithmetic, indexValue, matchesRegex, STRING_OPERATORS, stringTest } from './operators.js';
import { compileRegex } from './regex.js';
import { type KType, NUMERIC } from './types.js';
import { convert, isNull, toBool, toStr } from './values.js';

export type Row = Record<string, unknown>;
export type Eval = (row: Row, ctx: KqlContext) => unknown;

export interface Compiled {
  readonly type: KType;
  readonly ev: Eval;
}

/** A constant table from `let T = datatable(…)[…]`, usable on the right of `in`. */
export interface ConstTable {
  readonly type: KType;
  readonly values: unknown[];
}

/** What names mean where an expression is compiled. */
export interface Scope {
  readonly columns: ReadonlyMap<string, KType>;
  readonly scalars: ReadonlyMap<string, Compiled>;
  readonly functions: ReadonlyMap<
    string,
    { params: Array<{ name: string; type: KType }>; body: Expr }
  >;
  readonly tables: ReadonlyMap<string, ConstTable | 'pipeline'>;
}

const constant = (type: KType, v: unknown): Compiled => ({ type, ev: () => v });

function logical(op: string, l: Compiled, r: Compiled, at: number): Compiled {
  for (const side of [l, r]) {
    if (side.type !== 'bool' && side.type !== 'dynamic')
      throw semantic(at, `'${op}' needs bool operands, not ${side.type}`);
  }
  const a = l.ev;
  const b = r.ev;
  const tl = l.type;
  const tr = r.type;
  // `and`: false wins over null; `or`: true wins over null ("Null values").
  const wins = op === 'or';
  return {
    type: 'bool',
    ev: (row, ctx) => {
      const x = toBool(tl, a(row, ctx));
      if (x === wins) return wins;
      const y = toBool(tr, b(row, ctx));
      return y === wins ? wins : x === null || y === null ? null : !wins;
    },
  };
}

function binary(e: Extract<Expr, { k: 'bin' }>, scope: Scope): Compiled {
  const l = compileExpr(e.l, scope);
  const r = compileExpr(e.r, scope);
  const { op, at } = e;
  if (op === 'and' || op === 'or') return logical(op, l, r, at);
  const a = l.ev;
  const b = r.ev;
  const tl = l.type;
  const tr = r.type;
  if (op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') {
    if (!comparable(tl, tr))
      throw semantic(
        at,
        `Cannot compare values of types ${tl} and ${tr}. Try adding explicit casts`,
      );
    return { type: 'bool', ev: (row, ctx) => compareOp(op, tl, a(row, ctx), tr, b(row, ctx)) };
  }
  if (op === '=~' || op === '!~') {
    return {
      type: 'bool',
      ev: (row, ctx) => equalsIgnoreCase(op, tl, a(row, ctx), tr, b(row, ctx)),
    };
  }
  if (op === 'matches regex') {
    if (e.r.k === 'lit' && typeof e.r.v === 'string') {
      const re = compileRegex(e.r.v);
      return { type: 'bool', ev: (row, ctx) => re.test(toStr(tl, a(row, ctx))) };
    }
    return { type: 'bool', ev: (row, ctx) => matchesRegex(tl, a(row, ctx), tr, b(row, ctx)) };
  }
  const test = stringTest(op);
  if (test)
    return { type: 'bool', ev: (row, ctx) => test(toStr(tl, a(row, ctx)), toStr(tr, b(row, ctx))) };
  if (['+', '-', '*', '/', '%'].includes(op)) {
    const arith = arithmetic(op, tl, tr);
    if (!arith) {
      const hint = tl === 'string' || tr === 'string' ? ' (strings are joined with strcat())' : '';
      throw semantic(at, `the operator '${op}' is not defined for ${tl} and ${tr}${hint}`);
    }
    const run = arith.run;
    return { type: arith.type, ev: (row, ctx) => run(a(row, ctx), b(row, ctx)) };
  }
  throw semantic(
    at,
    `the operator '${op}' is not supported in transformations (string operators: ${STRING_OPERATORS.join(', ')})`,
  );
}

function inList(e: Extract<Expr, { k: 'in' }>, scope: Scope): Compiled {
  if (e.op !== 'in' && e.op !== '!in')
    throw semantic(
      e.at,
      `the operator '${e.op}' is not supported in transformations (supported: in, !in)`,
    );
  const l = compileExpr(e.l, scope);
  const items: Array<{ type: KType; ev: Eval } | ConstTable> = e.list.map((x) => {
    const table = x.k === 'name' ? scope.tables.get(x.name) : undefined;
    if (table === 'pipeline')
      throw semantic(
        x.at,
        `'${(x as { name: string }).name}' reads the source: only a datatable can be used with in`,
      );
    if (table) return table;
    const c = compileExpr(x, scope);
    if (!comparable(l.type, c.type))
      throw semantic(
        x.at,
        `Cannot compare values of types ${l.type} and ${c.type}. Try adding explicit casts`,
      );
    return c;
  });
  const tl = l.type;
  const neg = e.op === '!in';
  return {
    type: 'bool',
    ev: (row, ctx) => {
      const v = l.ev(row, ctx);
      if (tl !== 'string' && isNull(v)) return neg;
      const hit = items.some((it) => {
        if ('values' in it)
          return it.values.some((x) => compareOp('==', tl, v, it.type, x) === true);
        const x = it.ev(row, ctx);
        if (Array.isArray(x) && it.type === 'dynamic')
          return x.some((y) => compareOp('==', tl, v, 'dynamic', y) === true);
        return compareOp('==', tl, v, it.type, x) === true;
      });
      return neg ? !hit : hit;
    },
  };
}

function columnIfExists(e: Extract<Expr, { k: 'call' }>, scope: Scope): Compiled {
  const [name, fallback] = e.args;
  if (e.args.length !== 2 || name?.k !== 'lit' || typeof name.v !== 'string') {
    throw semantic(
      e.at,
      'columnifexists() takes a column name as a string constant and a default value',
    );
  }
  const type = scope.columns.get(name.v);
  if (type !== undefined) {
    const n = name.v;
    return { type, ev: (row) => row[n] ?? null };
  }
  return compileExpr(fallback!, scope);
}

function userFunction(e: Extract<Expr, { k: 'call' }>, scope: Scope): Compiled {
  const f = scope.functions.get(e.fn)!;
  if (e.args.length !== f.params.length)
    throw semantic(e.at, `${e.fn}() takes ${f.params.length} arguments, got ${e.args.length}`);
  const scalars = new Map(scope.scalars);
  f.params.forEach((p, i) => {
    const arg = compileExpr(e.args[i]!, scope);
    if (
      arg.type !== p.type &&
      !(NUMERIC.has(arg.type) && NUMERIC.has(p.type)) &&
      arg.type !== 'dynamic'
    ) {
      throw semantic(e.args[i]!.at, `${e.fn}(): parameter ${p.name} is ${p.type}, got ${arg.type}`);
    }
    const t = arg.type;
    scalars.set(p.name, { type: p.type, ev: (row, ctx) => convert(p.type, t, arg.ev(row, ctx)) });
  });
  return compileExpr(f.body, { ...scope, scalars });
}

function call(e: Extract<Expr, { k: 'call' }>, scope: Scope): Compiled {
  const lit = /^\$(literal|raw):(.+)$/.exec(e.fn);
  if (lit) {
    const { type, value } = literal(
      lit[1] as 'raw' | 'literal',
      lit[2]!,
      (e.args[0] as { v: unknown }).v,
      e.at,
    );
    return constant(type, value);
  }
  if (e.fn === 'columnifexists') return columnIfExists(e, scope);
  if (scope.functions.has(e.fn)) return userFunction(e, scope);
  if (NOT_EMULATED.includes(e.fn)) {
    throw semantic(
      e.at,
      `${e.fn}() is supported by Azure in transformations but the emulator cannot reproduce it; test this transform in Azure`,
    );
  }
  const fn = FUNCTIONS[e.fn];
  if (!fn || !isAllowed(e.fn)) throw semantic(e.at, unknownFunction(e.fn));
  if (e.args.length < fn.min || e.args.length > fn.max) {
    const want = fn.min === fn.max ? `${fn.min}` : `${fn.min} to ${fn.max}`;
    throw semantic(e.at, `${e.fn}() takes ${want} arguments, got ${e.args.length}`);
  }
  const args = e.args.map((a) =>
    a.k === 'typeof' ? { type: 'string' as KType, ev: () => a.type } : compileExpr(a, scope),
  );
  const types = args.map((a) => a.type);
  const type = fn.type(types, e.args);
  if (
    !(
      [
        'string',
        'bool',
        'int',
        'long',
        'real',
        'datetime',
        'timespan',
        'guid',
        'dynamic',
      ] as string[]
    ).includes(type)
  ) {
    throw semantic(e.at, type);
  }
  const evs = args.map((a) => a.ev);
  const run = fn.run;
  return {
    type: type as KType,
    ev: (row, ctx) =>
      run(
        evs.map((f) => f(row, ctx)),
        types,
        ctx,
      ),
  };
}

export function compileExpr(e: Expr, scope: Scope): Compiled {
  switch (e.k) {
    case 'lit':
      return constant(e.type, e.v);
    case 'name': {
      const scalar = scope.scalars.get(e.name);
      if (scalar) return scalar;
      const type = scope.columns.get(e.name);
      if (type === undefined) {
        if (scope.tables.has(e.name)) throw semantic(e.at, `'${e.name}' is a table, not a scalar`);
        throw semantic(e.at, `Failed to resolve scalar expression named '${e.name}'`);
      }
      const n = e.name;
      return { type, ev: (row) => row[n] ?? (type === 'string' ? '' : null) };
    }
    case 'index': {
      const obj = compileExpr(e.obj, scope);
      if (obj.type !== 'dynamic')
        throw semantic(
          e.at,
          `'.' and '[…]' apply to dynamic values, not ${obj.type} (use parse_json() first)`,
        );
      const key = compileExpr(e.key, scope);
      const o = obj.ev;
      const k = key.ev;
      return { type: 'dynamic', ev: (row, ctx) => indexValue(o(row, ctx), k(row, ctx)) };
    }
    case 'call':
      return call(e, scope);
    case 'typeof':
      throw semantic(e.at, 'typeof() is only an argument of extract()');
    case 'neg': {
      const inner = compileExpr(e.e, scope);
      const f = inner.ev;
      if (inner.type === 'long' || inner.type === 'timespan')
        return {
          type: inner.type,
          ev: (row, ctx) => {
            const v = f(row, ctx);
            return isNull(v) ? null : BigInt.asIntN(64, -(v as bigint));
          },
        };
      if (inner.type === 'int' || inner.type === 'real')
        return {
          type: inner.type,
          ev: (row, ctx) => {
            const v = f(row, ctx);
            return isNull(v) ? null : -(v as number);
          },
        };
      throw semantic(e.at, `unary '-' is not defined for ${inner.type}`);
    }
    case 'bin':
      return binary(e, scope);
    case 'in':
      return inList(e, scope);
    case 'dynamic-literal':
      throw semantic(
        e.at,
        'dynamic literals are not supported in transformations: use parse_json(\'…\') (Supported KQL features in Azure Monitor transformations, "Dynamic literals")',
      );
  }
}
