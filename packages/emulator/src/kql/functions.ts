/**
 * Scalar functions of the KQL subset. Conversions return null when the value does not convert,
 * as KQL does.
 */
import type { KqlContext } from './compile.js';

interface Fn {
  readonly min: number;
  readonly max: number;
  run(args: unknown[], ctx: KqlContext): unknown;
}

const isNull = (v: unknown): boolean => v === null || v === undefined;

function toNumber(v: unknown, integer: boolean): number | null {
  if (isNull(v) || typeof v === 'object') return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = typeof v === 'number' ? v : String(v).trim() === '' ? Number.NaN : Number(v);
  if (!Number.isFinite(n)) return null;
  return integer ? Math.trunc(n) : n;
}

function toStr(v: unknown): string {
  if (isNull(v)) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function toDatetime(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function isEmpty(v: unknown): boolean {
  return isNull(v) || v === '';
}

const fn = (min: number, max: number, run: Fn['run']): Fn => ({ min, max, run });

export const FUNCTIONS: Record<string, Fn> = {
  tostring: fn(1, 1, ([v]) => toStr(v)),
  toint: fn(1, 1, ([v]) => toNumber(v, true)),
  tolong: fn(1, 1, ([v]) => toNumber(v, true)),
  toreal: fn(1, 1, ([v]) => toNumber(v, false)),
  todouble: fn(1, 1, ([v]) => toNumber(v, false)),
  tobool: fn(1, 1, ([v]) =>
    typeof v === 'boolean'
      ? v
      : v === 'true'
        ? true
        : v === 'false'
          ? false
          : typeof v === 'number'
            ? v !== 0
            : null,
  ),
  todatetime: fn(1, 1, ([v]) => toDatetime(v)),
  todynamic: fn(1, 1, ([v]) => {
    if (typeof v !== 'string') return v ?? null;
    try {
      return JSON.parse(v);
    } catch {
      return null;
    }
  }),
  parse_json: fn(1, 1, ([v]) => {
    if (typeof v !== 'string') return v ?? null;
    try {
      return JSON.parse(v);
    } catch {
      return null;
    }
  }),
  tolower: fn(1, 1, ([v]) => toStr(v).toLowerCase()),
  toupper: fn(1, 1, ([v]) => toStr(v).toUpperCase()),
  trim_start: fn(2, 2, ([re, v]) => toStr(v).replace(new RegExp(`^(${toStr(re)})`), '')),
  strlen: fn(1, 1, ([v]) => (isNull(v) ? null : toStr(v).length)),
  strcat: fn(1, 64, (args) => args.map(toStr).join('')),
  substring: fn(2, 3, ([v, start, len]) => {
    const s = toStr(v);
    const b = Math.max(0, Number(start));
    return len === undefined ? s.slice(b) : s.slice(b, b + Math.max(0, Number(len)));
  }),
  isempty: fn(1, 1, ([v]) => isEmpty(v)),
  isnotempty: fn(1, 1, ([v]) => !isEmpty(v)),
  isnull: fn(1, 1, ([v]) => isNull(v)),
  isnotnull: fn(1, 1, ([v]) => !isNull(v)),
  coalesce: fn(2, 64, (args) => args.find((a) => !isEmpty(a)) ?? null),
  iif: fn(3, 3, ([c, a, b]) => (c === true ? a : b)),
  iff: fn(3, 3, ([c, a, b]) => (c === true ? a : b)),
  now: fn(0, 0, (_args, ctx) => new Date(ctx.now).toISOString()),
};
