/**
 * Binary operators: the string operators the transformations page lists, and arithmetic typed
 * as in "Numerical operators" (a real operand makes the result real; two integers give a long,
 * so `5 / 2` is 2 and `Rl / 2` with `Rl` real is 2.5; `%` is never negative) and "Datetime /
 * timespan arithmetic" (datetime - datetime is a timespan, timespan / timespan a real, …).
 */
import { floorDiv } from './datetime.js';
import { compileRegex } from './regex.js';
import { type KType, NUMERIC } from './types.js';
import { isNull, toStr, wrap64 } from './values.js';

/** String operators the transformations page lists. */
export const STRING_OPERATORS = [
  '==',
  '!=',
  '=~',
  '!~',
  'contains',
  '!contains',
  'contains_cs',
  '!contains_cs',
  'has',
  '!has',
  'has_cs',
  '!has_cs',
  'startswith',
  '!startswith',
  'startswith_cs',
  '!startswith_cs',
  'endswith',
  '!endswith',
  'endswith_cs',
  '!endswith_cs',
  'matches regex',
  'in',
  '!in',
];

const WORD = /[A-Za-z0-9]/;

/** `has`: the term appears with non-alphanumeric characters (or the ends) around it. */
function hasTerm(text: string, term: string): boolean {
  if (term === '') return true;
  let from = 0;
  for (;;) {
    const i = text.indexOf(term, from);
    if (i < 0) return false;
    const before = i === 0 || !WORD.test(text[i - 1]!) || !WORD.test(term[0]!);
    const end = i + term.length;
    const after =
      end === text.length || !WORD.test(text[end]!) || !WORD.test(term[term.length - 1]!);
    if (before && after) return true;
    from = i + 1;
  }
}

/** The test of a string operator on two texts (case handled here). */
export function stringTest(op: string): ((s: string, q: string) => boolean) | undefined {
  const neg = op.startsWith('!');
  const base = neg ? op.slice(1) : op;
  const cs = base.endsWith('_cs');
  const name = cs ? base.slice(0, -3) : base;
  let test: ((s: string, q: string) => boolean) | undefined;
  if (name === 'contains') test = (s, q) => s.includes(q);
  else if (name === 'has') test = hasTerm;
  else if (name === 'startswith') test = (s, q) => s.startsWith(q);
  else if (name === 'endswith') test = (s, q) => s.endsWith(q);
  if (!test) return undefined;
  const inner = test;
  const cased = cs ? inner : (s: string, q: string) => inner(s.toLowerCase(), q.toLowerCase());
  return neg ? (s, q) => !cased(s, q) : cased;
}

/** `matches regex`: a constant pattern compiled once; a pattern from a column per row. */
export function matchesRegex(ta: KType, a: unknown, tb: KType, b: unknown): boolean {
  return compileRegex(toStr(tb, b)).test(toStr(ta, a));
}

/** `a[key]` on a dynamic value: a property of a bag, or an element (negative from the end). */
export function indexValue(obj: unknown, key: unknown): unknown {
  if (obj === null || obj === undefined || typeof obj !== 'object') return null;
  if (Array.isArray(obj)) {
    const i = typeof key === 'bigint' ? Number(key) : typeof key === 'number' ? key : Number.NaN;
    if (!Number.isInteger(i)) return null;
    return obj[i < 0 ? obj.length + i : i] ?? null;
  }
  const v = (obj as Record<string, unknown>)[String(key)];
  return v === undefined ? null : v;
}

export type ArithResult = { type: KType; run: (a: unknown, b: unknown) => unknown };

const num = (t: KType, v: unknown): number => (t === 'long' ? Number(v as bigint) : (v as number));
const big = (t: KType, v: unknown): bigint => (t === 'long' ? (v as bigint) : BigInt(v as number));

/** Integer division and modulo: by zero gives null (a guess: Kusto documents neither). */
function integerOp(op: string, x: bigint, y: bigint): bigint | null {
  switch (op) {
    case '+':
      return wrap64(x + y);
    case '-':
      return wrap64(x - y);
    case '*':
      return wrap64(x * y);
    case '/':
      return y === 0n ? null : wrap64(x / y);
    default: {
      if (y === 0n) return null;
      const m = y < 0n ? -y : y;
      return ((x % m) + m) % m;
    }
  }
}

function realOp(op: string, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    default: {
      const m = Math.abs(y);
      return ((x % m) + m) % m;
    }
  }
}

function nulls(run: (a: unknown, b: unknown) => unknown): (a: unknown, b: unknown) => unknown {
  return (a, b) => (isNull(a) || isNull(b) ? null : run(a, b));
}

function numeric(op: string, ta: KType, tb: KType): ArithResult {
  if (ta === 'real' || tb === 'real') {
    return { type: 'real', run: nulls((a, b) => realOp(op, num(ta, a), num(tb, b))) };
  }
  return { type: 'long', run: nulls((a, b) => integerOp(op, big(ta, a), big(tb, b))) };
}

/** `a + b` or `a - b` on tick counts. */
function sumOrDifference(op: string): (a: unknown, b: unknown) => unknown {
  return nulls((a, b) =>
    op === '+' ? (a as bigint) + (b as bigint) : (a as bigint) - (b as bigint),
  );
}

/** A timespan scaled by a number (ticks rounded toward zero). */
function scale(ticks: bigint, t: KType, factor: unknown, divide: boolean): bigint | null {
  if (t === 'real') {
    const f = factor as number;
    const r = divide ? Number(ticks) / f : Number(ticks) * f;
    return Number.isFinite(r) ? BigInt(Math.trunc(r)) : null;
  }
  const f = big(t, factor);
  if (divide) return f === 0n ? null : ticks / f;
  return ticks * f;
}

/** The result type and evaluator of `a op b` for + - * / %, or undefined when not allowed. */
export function arithmetic(op: string, ta: KType, tb: KType): ArithResult | undefined {
  if (ta === 'dynamic' || tb === 'dynamic') {
    // A guess: the result stays dynamic; numbers inside compute as reals.
    const other = (t: KType, v: unknown) =>
      t === 'dynamic' ? (typeof v === 'number' ? v : null) : NUMERIC.has(t) ? num(t, v) : null;
    return {
      type: 'dynamic',
      run: nulls((a, b) => {
        const x = other(ta, a);
        const y = other(tb, b);
        return x === null || y === null ? null : realOp(op, x, y);
      }),
    };
  }
  if (NUMERIC.has(ta) && NUMERIC.has(tb)) return numeric(op, ta, tb);
  const pair = `${ta} ${op} ${tb}`;
  switch (pair) {
    case 'datetime - datetime':
    case 'timespan + timespan':
    case 'timespan - timespan':
      return { type: 'timespan', run: sumOrDifference(op) };
    case 'datetime + timespan':
    case 'datetime - timespan':
      return { type: 'datetime', run: sumOrDifference(op) };
    case 'timespan + datetime':
      return { type: 'datetime', run: nulls((a, b) => (a as bigint) + (b as bigint)) };
    case 'timespan / timespan':
      return { type: 'real', run: nulls((a, b) => Number(a as bigint) / Number(b as bigint)) };
    case 'timespan % timespan':
      return {
        type: 'timespan',
        run: nulls((a, b) =>
          (b as bigint) === 0n
            ? null
            : (a as bigint) - floorDiv(a as bigint, b as bigint) * (b as bigint),
        ),
      };
  }
  if (ta === 'timespan' && NUMERIC.has(tb) && (op === '*' || op === '/')) {
    return { type: 'timespan', run: nulls((a, b) => scale(a as bigint, tb, b, op === '/')) };
  }
  if (NUMERIC.has(ta) && tb === 'timespan' && op === '*') {
    return { type: 'timespan', run: nulls((a, b) => scale(b as bigint, ta, a, false)) };
  }
  return undefined;
}
