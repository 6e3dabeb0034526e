/**
 * Mathematical and bitwise functions of the transformations page.
 */
import { floorDiv } from '../datetime.js';
import { type KType, NUMERIC } from '../types.js';
import { isNull, toLong, toReal, wrap64 } from '../values.js';
import { checked, def, type FnDef, need } from './registry.js';

const real = (t: KType | undefined, v: unknown): number | null => toReal(t ?? 'real', v);
const long = (t: KType | undefined, v: unknown): bigint | null => toLong(t ?? 'long', v);

/** A function of one real giving a real (null for null; null where the docs say so). */
function unaryReal(name: string, f: (x: number) => number | null): FnDef {
  return def(
    1,
    1,
    (a) => checked('real', need(name, a, 0, 'numeric')),
    ([v], [t]) => {
      const x = real(t, v);
      return x === null ? null : f(x);
    },
  );
}

const positive = (f: (x: number) => number) => (x: number) => (x < 0 ? null : f(x));

/** round(2.15, 1) is 2.2 and round(-50.55, -2) is -100 (round docs): decimal, half away from zero. */
function round(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const shifted = Number(`${Math.abs(x)}e${digits}`);
  const r = Number(`${Math.round(shifted)}e${-digits}`);
  return x < 0 ? -r : r;
}

/** The type of bin(value, size): datetime and timespan stay so, numbers follow arithmetic. */
function binType(args: readonly KType[]): KType | string {
  const [v, s] = args;
  if (v === 'datetime' || v === 'timespan')
    return s === 'timespan' || s === 'dynamic'
      ? v
      : 'bin(): a datetime or timespan is binned by a timespan';
  if (!NUMERIC.has(v!) || !NUMERIC.has(s!))
    return v === 'dynamic'
      ? 'real'
      : 'bin(): the value and the bin size must be numbers, datetimes or timespans';
  return v === 'real' || s === 'real' ? 'real' : 'long';
}

function bin([v, s]: unknown[], [tv, ts]: readonly KType[]): unknown {
  if (isNull(v) || isNull(s)) return null;
  if (tv === 'datetime' || tv === 'timespan') {
    const size = s as bigint;
    return size <= 0n ? null : floorDiv(v as bigint, size) * size;
  }
  if (tv === 'real' || ts === 'real') {
    const x = real(tv, v)!;
    const size = real(ts, s)!;
    return size <= 0 ? null : Math.floor(x / size) * size;
  }
  const size = long(ts, s)!;
  return size <= 0n ? null : floorDiv(long(tv, v)!, size) * size;
}

function sameNumeric(name: string, f: (x: number) => number, g: (x: bigint) => bigint): FnDef {
  return def(
    1,
    1,
    (a) =>
      a[0] === 'timespan' && name === 'abs'
        ? 'timespan'
        : a[0] === 'int'
          ? 'int'
          : checked(
              a[0] === 'real' || a[0] === 'dynamic' ? 'real' : 'long',
              need(name, a, 0, 'numeric'),
            ),
    ([v], [t]) => {
      if (isNull(v)) return null;
      if (t === 'real' || t === 'dynamic') return f(real(t, v)!);
      if (t === 'int') return Number(g(BigInt(v as number)));
      return g(v as bigint);
    },
  );
}

function binary(name: string, arity: 1 | 2, f: (a: bigint, b: bigint) => bigint): FnDef {
  return def(
    arity,
    arity,
    (a) => checked('long', need(name, a, 0, 'numeric'), need(name, a, 1, 'numeric')),
    (args, types) => {
      const [a, b] = args.map((v, i) => long(types[i], v));
      if (a === null || b === null) return null;
      return wrap64(f(a!, b ?? 0n));
    },
  );
}

export const MATH: Record<string, FnDef> = {
  abs: sameNumeric('abs', Math.abs, (x) => (x < 0n ? -x : x)),
  ceiling: sameNumeric('ceiling', Math.ceil, (x) => x),
  sign: sameNumeric('sign', Math.sign, (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n)),
  bin: def(2, 2, binType, bin),
  floor: def(2, 2, binType, bin),
  exp: unaryReal('exp', Math.exp),
  exp10: unaryReal('exp10', (x) => 10 ** x),
  exp2: unaryReal('exp2', (x) => 2 ** x),
  log: unaryReal('log', positive(Math.log)),
  log10: unaryReal('log10', positive(Math.log10)),
  log2: unaryReal('log2', positive(Math.log2)),
  isfinite: def(1, 1, 'bool', ([v], [t]) => (isNull(v) ? null : Number.isFinite(real(t, v)))),
  isinf: def(1, 1, 'bool', ([v], [t]) => {
    const x = real(t, v);
    return x === null ? null : x === Infinity || x === -Infinity;
  }),
  isnan: def(1, 1, 'bool', ([v], [t]) => (isNull(v) ? null : Number.isNaN(real(t, v)))),
  pow: def(
    2,
    2,
    (a) => checked('real', need('pow', a, 0, 'numeric'), need('pow', a, 1, 'numeric')),
    ([x, y], t) => {
      const b = real(t[0], x);
      const e = real(t[1], y);
      return b === null || e === null ? null : b ** e;
    },
  ),
  round: def(
    1,
    2,
    (a) =>
      checked(
        a[0] === 'real' || a[0] === 'dynamic' ? 'real' : (a[0] as KType),
        need('round', a, 0, 'numeric'),
        need('round', a, 1, 'numeric'),
      ),
    ([x, p], t) => {
      if (isNull(x)) return null;
      const digits = p === undefined ? 0 : Number(long(t[1], p));
      if (t[0] === 'real' || t[0] === 'dynamic') return round(real(t[0], x)!, digits);
      if (digits >= 0) return x;
      const r = BigInt(round(Number(x), digits));
      return t[0] === 'int' ? Number(r) : r;
    },
  ),
  binary_and: binary('binary_and', 2, (a, b) => a & b),
  binary_or: binary('binary_or', 2, (a, b) => a | b),
  binary_xor: binary('binary_xor', 2, (a, b) => a ^ b),
  binary_not: binary('binary_not', 1, (a) => ~a),
  binary_shift_left: binary('binary_shift_left', 2, (a, b) => (b < 0n || b > 63n ? 0n : a << b)),
  binary_shift_right: binary('binary_shift_right', 2, (a, b) => (b < 0n || b > 63n ? 0n : a >> b)),
};
