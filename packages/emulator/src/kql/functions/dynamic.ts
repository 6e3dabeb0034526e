/**
 * Dynamic and array functions of the transformations page, and the conditional ones
 * (case, iif, max_of, min_of). `iff` is not on the page's list but a field report shows Azure
 * accepting it in a deployed DCR (Azure/Azure-Sentinel PR #14286), and the page's own
 * parse_cef_dictionary example uses it.
 */
import { compareOp } from '../compare.js';
import type { KType } from '../types.js';
import { convert, isNull, toBool, toDynamic, toStr } from '../values.js';
import { parseXml } from '../xml.js';
import { def, type FnDef, need, unify } from './registry.js';

const arrays = (args: unknown[]): unknown[][] | null =>
  args.every((a) => Array.isArray(a)) ? (args as unknown[][]) : null;

function pack(args: unknown[], types: readonly KType[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < args.length; i += 2) {
    out[toStr(types[i]!, args[i])] = toDynamic(types[i + 1]!, args[i + 1]);
  }
  return out;
}

function zip(arrs: unknown[][]): unknown[] {
  const length = Math.max(...arrs.map((a) => a.length));
  return Array.from({ length }, (_, i) => arrs.map((a) => (i < a.length ? a[i] : null)));
}

/** A common type for the values of iif/case/min_of, or the message saying they differ. */
function common(name: string, types: readonly KType[]): KType | string {
  return unify(types) ?? `${name}(): the values must be of one type, got ${types.join(', ')}`;
}

/** max_of/min_of: nulls are ignored ("non-null values take precedence over null values"). */
function extreme(name: string, pick: '>' | '<'): FnDef {
  return def(
    1,
    64,
    (args) => common(name, args),
    (args, types) => {
      const t = unify(types)!;
      let best: unknown = null;
      for (let i = 0; i < args.length; i++) {
        const v = convert(t, types[i]!, args[i]);
        if (isNull(v)) continue;
        if (isNull(best) || compareOp(pick, t, v, t, best)) best = v;
      }
      return best;
    },
  );
}

export const DYNAMIC: Record<string, FnDef> = {
  array_concat: def(1, 64, 'dynamic', (args) => {
    const arrs = arrays(args);
    return arrs ? arrs.flat(1) : null;
  }),
  array_length: def(1, 1, 'long', ([a]) => (Array.isArray(a) ? BigInt(a.length) : null)),
  pack_array: def(1, 64, 'dynamic', (args, types) => args.map((v, i) => toDynamic(types[i]!, v))),
  pack: def(
    2,
    64,
    (args) =>
      args.length % 2 === 0 ? 'dynamic' : 'pack(): the arguments must be key, value pairs',
    pack,
  ),
  parse_xml: def(1, 1, 'dynamic', ([v], [t]) => parseXml(toStr(t!, v))),
  zip: def(2, 16, 'dynamic', (args) => {
    const arrs = arrays(args);
    return arrs ? zip(arrs) : null;
  }),
};

export const CONDITIONAL: Record<string, FnDef> = {
  iif: def(
    3,
    3,
    (args) => need('iif', args, 0, ['bool']) ?? common('iif', args.slice(1)),
    ([c, a, b], t) => {
      const type = unify(t.slice(1))!;
      return c === true ? convert(type, t[1]!, a) : convert(type, t[2]!, b);
    },
  ),
  iff: def(
    3,
    3,
    (args) => need('iff', args, 0, ['bool']) ?? common('iff', args.slice(1)),
    ([c, a, b], t) => {
      const type = unify(t.slice(1))!;
      return c === true ? convert(type, t[1]!, a) : convert(type, t[2]!, b);
    },
  ),
  case: def(
    3,
    129,
    (args) => {
      if (args.length % 2 === 0) return 'case(): predicate, value pairs and a final else value';
      const values = args.filter((_, i) => i % 2 === 1 || i === args.length - 1);
      return common('case', values);
    },
    (args, t) => {
      const values = t.filter((_, i) => i % 2 === 1 || i === t.length - 1);
      const type = unify(values)!;
      for (let i = 0; i + 1 < args.length; i += 2) {
        if (toBool(t[i]!, args[i]) === true) return convert(type, t[i + 1]!, args[i + 1]);
      }
      return convert(type, t[t.length - 1]!, args[args.length - 1]);
    },
  ),
  max_of: extreme('max_of', '>'),
  min_of: extreme('min_of', '<'),
  not: def(
    1,
    1,
    (args) => need('not', args, 0, ['bool']) ?? 'bool',
    ([v], [t]) => {
      const b = toBool(t!, v);
      return b === null ? null : !b;
    },
  ),
};
