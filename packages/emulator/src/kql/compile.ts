/**
 * Compiling the per-row KQL subset (parse.ts) to a row function. Null semantics follow KQL
 * where it matters for filters: a comparison with null is false, arithmetic with null is null.
 * Functions are checked at load, so a transform the emulator cannot run is refused up front.
 */
import { FUNCTIONS } from './functions.js';
import { type Expr, type Op, parseKql } from './parse.js';

type Row = Record<string, unknown>;
/** Per-row evaluation context: the emulator's clock. */
export interface KqlContext {
  readonly now: number;
}
type Eval = (row: Row, ctx: KqlContext) => unknown;

const isNull = (v: unknown): boolean => v === null || v === undefined;
const lower = (v: unknown): string => String(v).toLowerCase();

function compare(op: string, a: unknown, b: unknown): boolean {
  // KQL strings have no null, only '': compare a null with a string as ''. Otherwise null
  // compares false, so `where` drops the row.
  if (isNull(a) && typeof b === 'string') a = '';
  else if (isNull(b) && typeof a === 'string') b = '';
  else if (isNull(a) || isNull(b)) return false;
  switch (op) {
    case '==':
      return a === b || (typeof a !== typeof b && String(a) === String(b));
    case '!=':
      return !(a === b || (typeof a !== typeof b && String(a) === String(b)));
    case '=~':
      return lower(a) === lower(b);
    case '!~':
      return lower(a) !== lower(b);
    case '<':
      return (a as number) < (b as number);
    case '<=':
      return (a as number) <= (b as number);
    case '>':
      return (a as number) > (b as number);
    case '>=':
      return (a as number) >= (b as number);
  }
  return false;
}

function hasTerm(text: string, term: string, cs: boolean): boolean {
  const t = cs ? text : text.toLowerCase();
  const q = cs ? term : term.toLowerCase();
  if (q === '') return true;
  const re = new RegExp(
    `(^|[^A-Za-z0-9_])${q.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`,
  );
  return re.test(t);
}

function stringOp(op: string, a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return op.startsWith('!');
  const s = typeof a === 'string' ? a : JSON.stringify(a);
  const q = String(b);
  switch (op) {
    case 'contains':
      return lower(s).includes(lower(q));
    case '!contains':
      return !lower(s).includes(lower(q));
    case 'contains_cs':
      return s.includes(q);
    case 'has':
      return hasTerm(s, q, false);
    case '!has':
      return !hasTerm(s, q, false);
    case 'has_cs':
      return hasTerm(s, q, true);
    case 'startswith':
      return lower(s).startsWith(lower(q));
    case 'endswith':
      return lower(s).endsWith(lower(q));
  }
  return false;
}

function arith(op: string, a: unknown, b: unknown): unknown {
  if (isNull(a) || isNull(b)) return null;
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return null;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return null;
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0
        ? null
        : Number.isInteger(x) && Number.isInteger(y)
          ? Math.trunc(x / y)
          : x / y;
    case '%':
      return y === 0 ? null : x % y;
  }
  return null;
}

function member(obj: unknown, key: string): unknown {
  if (isNull(obj)) return null;
  let o = obj;
  if (typeof o === 'string') {
    try {
      o = JSON.parse(o);
    } catch {
      return null;
    }
  }
  if (typeof o !== 'object' || o === null) return null;
  const v = (o as Record<string, unknown>)[key];
  return v === undefined ? null : v;
}

function compileExpr(e: Expr): Eval {
  switch (e.k) {
    case 'lit': {
      const v = e.v;
      return () => v;
    }
    case 'col': {
      const n = e.name;
      return (row) => (row[n] === undefined ? null : row[n]);
    }
    case 'member': {
      const o = compileExpr(e.obj);
      const key = e.key;
      return (row, ctx) => member(o(row, ctx), key);
    }
    case 'unary': {
      const inner = compileExpr(e.e);
      if (e.op === 'not') return (row, ctx) => !truthy(inner(row, ctx));
      return (row, ctx) => {
        const v = inner(row, ctx);
        return typeof v === 'number' ? -v : null;
      };
    }
    case 'in': {
      const l = compileExpr(e.l);
      const list = e.list.map(compileExpr);
      return (row, ctx) => {
        const v = l(row, ctx);
        const found = !isNull(v) && list.some((f) => compare('==', v, f(row, ctx)));
        return e.neg ? !isNull(v) && !found : found;
      };
    }
    case 'call': {
      const fn = FUNCTIONS[e.fn];
      if (!fn)
        throw new Error(
          `function '${e.fn}' is not supported by the emulator (supported: ${Object.keys(FUNCTIONS).join(', ')})`,
        );
      if (e.args.length < fn.min || e.args.length > fn.max) {
        throw new Error(
          `function '${e.fn}' takes ${fn.min === fn.max ? fn.min : `${fn.min}..${fn.max}`} arguments, got ${e.args.length}`,
        );
      }
      const args = e.args.map(compileExpr);
      return (row, ctx) =>
        fn.run(
          args.map((a) => a(row, ctx)),
          ctx,
        );
    }
    case 'bin': {
      const l = compileExpr(e.l);
      const r = compileExpr(e.r);
      const op = e.op;
      if (op === 'and') return (row, ctx) => truthy(l(row, ctx)) && truthy(r(row, ctx));
      if (op === 'or') return (row, ctx) => truthy(l(row, ctx)) || truthy(r(row, ctx));
      if (['==', '!=', '<', '<=', '>', '>=', '=~', '!~'].includes(op))
        return (row, ctx) => compare(op, l(row, ctx), r(row, ctx));
      if (['+', '-', '*', '/', '%'].includes(op))
        return (row, ctx) => arith(op, l(row, ctx), r(row, ctx));
      return (row, ctx) => stringOp(op, l(row, ctx), r(row, ctx));
    }
  }
}

function truthy(v: unknown): boolean {
  return v === true;
}

type Step = (row: Row, ctx: KqlContext) => Row | null;

function compileOp(op: Op): Step {
  switch (op.k) {
    case 'where': {
      const f = compileExpr(op.e);
      return (row, ctx) => (truthy(f(row, ctx)) ? row : null);
    }
    case 'extend': {
      const items = op.items.map((i) => ({ name: i.name, f: compileExpr(i.e) }));
      return (row, ctx) => {
        const out = { ...row };
        for (const i of items) out[i.name] = i.f(out, ctx);
        return out;
      };
    }
    case 'project': {
      const items = op.items.map((i) => ({ name: i.name, f: compileExpr(i.e) }));
      return (row, ctx) => {
        const out: Row = {};
        for (const i of items) out[i.name] = i.f(row, ctx);
        return out;
      };
    }
    case 'project-away': {
      const names = op.names;
      return (row) => {
        const out = { ...row };
        for (const n of names) delete out[n];
        return out;
      };
    }
    case 'project-rename': {
      const pairs = op.pairs;
      return (row) => {
        const out = { ...row };
        for (const p of pairs) {
          out[p.to] = out[p.from] ?? null;
          delete out[p.from];
        }
        return out;
      };
    }
  }
}

/** Compile a transform text; throws an Error naming the unsupported part. */
export function compileKql(text: string): (row: Row, ctx: KqlContext) => Row | null {
  let ops: Op[];
  try {
    ops = parseKql(text);
  } catch (err) {
    throw new Error(
      `${(err as Error).message}. The emulator runs 'source' and a per-row subset (where, extend, project, project-away, project-rename); deploy-only KQL is refused rather than ignored.`,
    );
  }
  const steps = ops.map(compileOp);
  return (row, ctx) => {
    let cur: Row | null = row;
    for (const s of steps) {
      if (cur === null) return null;
      cur = s(cur, ctx);
    }
    return cur;
  };
}
