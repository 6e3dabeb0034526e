/**
 * What a scalar function is to the compiler: its arity, its result type from its argument
 * types (or the reason the arguments do not fit, reported at load), and its evaluation.
 */
import type { Expr } from '../ast.js';
import { type KType, NUMERIC } from '../types.js';

/** Per-row evaluation context: the emulator's clock (epoch ms), for now() and ago(). */
export interface KqlContext {
  readonly now: number;
}

export interface FnDef {
  readonly min: number;
  readonly max: number;
  /** The result type, or a message saying why the arguments do not fit. */
  type(args: readonly KType[], exprs: readonly Expr[]): KType | string;
  run(args: unknown[], types: readonly KType[], ctx: KqlContext): unknown;
}

export function def(
  min: number,
  max: number,
  type: FnDef['type'] | KType,
  run: FnDef['run'],
): FnDef {
  return { min, max, type: typeof type === 'string' ? () => type : type, run };
}

/** A check of argument `i` against the types it may have; a message when it does not fit. */
export function need(
  name: string,
  args: readonly KType[],
  i: number,
  allowed: ReadonlyArray<KType> | 'numeric',
): string | undefined {
  const t = args[i];
  if (t === undefined || t === 'dynamic') return undefined;
  const ok = allowed === 'numeric' ? NUMERIC.has(t) : allowed.includes(t);
  if (ok) return undefined;
  const list = allowed === 'numeric' ? 'int, long or real' : allowed.join(' or ');
  return `${name}(): argument ${i + 1} must be ${list}, not ${t}`;
}

/** The first problem among several checks, or the type. */
export function checked(type: KType, ...problems: Array<string | undefined>): KType | string {
  return problems.find((p) => p !== undefined) ?? type;
}

/** A common type for values that may come out of one expression (iif, case, min_of…). */
export function unify(types: readonly KType[]): KType | undefined {
  const first = types[0];
  if (first === undefined) return undefined;
  if (types.every((t) => t === first)) return first;
  if (types.every((t) => NUMERIC.has(t))) {
    if (types.includes('real')) return 'real';
    return 'long';
  }
  return undefined;
}
