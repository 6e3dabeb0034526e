/**
 * String functions of the transformations page. Arguments that are not strings are converted
 * with tostring() first, as the Kusto docs say of most of them.
 */
import { createHash } from 'node:crypto';
import { compileRegex, globalRegex } from '../regex.js';
import type { KType } from '../types.js';
import { convert, isNull, toLong, toStr } from '../values.js';
import { checked, def, type FnDef, need } from './registry.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const str = (t: KType | undefined, v: unknown): string => toStr(t ?? 'string', v);
const num = (t: KType | undefined, v: unknown): number | null => {
  const l = toLong(t ?? 'long', v);
  return l === null ? null : Number(l);
};

function base64Decode(text: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text.trim())) return '';
  try {
    return UTF8.decode(Buffer.from(text.trim(), 'base64'));
  } catch {
    return ''; // "a base64 string generated from invalid UTF-8 encoding returns null"
  }
}

/** countof: plain matches may overlap, regex matches don't (countof docs). */
function countOf(source: string, search: string, kind: string): bigint | null {
  if (kind === 'regex')
    return BigInt([...source.matchAll(globalRegex(compileRegex(search)))].length);
  if (kind !== 'normal' || search === '') return kind === 'normal' ? 0n : null;
  let n = 0n;
  for (let i = source.indexOf(search); i >= 0; i = source.indexOf(search, i + 1)) n++;
  return n;
}

/** indexof: the search covers start .. start + length (inclusive, per the docs' examples). */
function indexOf(s: string, match: string, start = 0, length = -1, occurrence = 1): bigint | null {
  if (length < -1 || occurrence < 0) return null;
  const from = start < 0 ? Math.max(0, s.length + start) : start;
  if (from > s.length) return -1n;
  const region = length === -1 ? s.slice(from) : s.slice(from, from + length + 1);
  let at = -1;
  for (let k = 0; k < Math.max(1, occurrence); k++) {
    at = region.indexOf(match, at + 1);
    if (at < 0) return -1n;
  }
  return BigInt(from + at);
}

function substring(s: string, start: number, length?: number): string {
  const chars = [...s];
  const from = start < 0 ? Math.max(0, chars.length + start) : start;
  return chars.slice(from, length === undefined ? undefined : from + Math.max(0, length)).join('');
}

/** Capture groups requested by extract_all: indexes and group names. */
function groupSelector(spec: unknown): Array<number | string> | undefined {
  if (spec === undefined) return undefined;
  if (!Array.isArray(spec)) return [];
  return spec.map((g) => (typeof g === 'number' || typeof g === 'bigint' ? Number(g) : String(g)));
}

function extractAll(pattern: string, spec: unknown, source: string): unknown {
  const re = compileRegex(pattern);
  const matches = [...source.matchAll(globalRegex(re))];
  if (matches.length === 0) return null;
  const selected = groupSelector(spec);
  const pick = (m: RegExpMatchArray, g: number | string): string | null =>
    (typeof g === 'number' ? m[g] : m.groups?.[g]) ?? null;
  return matches.map((m) => {
    const groups =
      selected ?? (m.length > 1 ? Array.from({ length: m.length - 1 }, (_, i) => i + 1) : [0]);
    return groups.length === 1 ? pick(m, groups[0]!) : groups.map((g) => pick(m, g));
  });
}

function extractType(exprs: readonly { k: string; type?: KType }[]): KType {
  const last = exprs[3];
  return last?.k === 'typeof' && last.type ? last.type : 'string';
}

export const STRING: Record<string, FnDef> = {
  base64_encodestring: def(1, 1, 'string', ([v], [t]) =>
    Buffer.from(str(t, v), 'utf8').toString('base64'),
  ),
  base64_decodestring: def(1, 1, 'string', ([v], [t]) => base64Decode(str(t, v))),
  countof: def(2, 3, 'long', ([s, q, k], t) =>
    countOf(str(t[0], s), str(t[1], q), k === undefined ? 'normal' : str(t[2], k)),
  ),
  extract: def(
    3,
    4,
    (args, exprs) =>
      args.length === 4 && exprs[3]?.k !== 'typeof'
        ? 'extract(): the 4th argument must be typeof(<type>)'
        : extractType(exprs),
    ([p, g, s, target], t) => {
      const group = num(t[1], g);
      const m = group === null ? null : compileRegex(str(t[0], p)).exec(str(t[2], s));
      const hit = m?.[group!];
      const type = (target as KType | undefined) ?? 'string';
      if (hit === undefined || hit === null) return type === 'string' ? '' : null;
      return convert(type, 'string', hit);
    },
  ),
  extract_all: def(
    2,
    3,
    (args) =>
      checked('dynamic', args.length === 3 ? need('extract_all', args, 1, ['dynamic']) : undefined),
    (a, t) =>
      a.length === 3
        ? extractAll(str(t[0], a[0]), a[1], str(t[2], a[2]))
        : extractAll(str(t[0], a[0]), undefined, str(t[1], a[1])),
  ),
  indexof: def(2, 5, 'long', (a, t) => {
    const n = a.slice(2).map((v, i) => num(t[i + 2], v));
    if (n.some((v) => v === null)) return null;
    return indexOf(str(t[0], a[0]), str(t[1], a[1]), ...(n as number[]));
  }),
  split: def(2, 3, 'dynamic', ([s, d, i], t) => {
    const parts = str(t[0], s).split(str(t[1], d));
    if (i === undefined) return parts;
    const n = num(t[2], i);
    return n !== null && n >= 0 && n < parts.length ? [parts[n]] : [];
  }),
  strcat: def(1, 64, 'string', (a, t) => a.map((v, i) => str(t[i], v)).join('')),
  strcat_delim: def(3, 65, 'string', (a, t) =>
    a
      .slice(1)
      .map((v, i) => str(t[i + 1], v))
      .join(str(t[0], a[0])),
  ),
  strlen: def(1, 1, 'long', ([v], [t]) => BigInt([...str(t, v)].length)),
  substring: def(
    2,
    3,
    (args) =>
      checked(
        'string',
        need('substring', args, 1, 'numeric'),
        need('substring', args, 2, 'numeric'),
      ),
    ([s, b, l], t) => {
      const start = num(t[1], b);
      const length = l === undefined ? undefined : num(t[2], l);
      return start === null || length === null ? '' : substring(str(t[0], s), start, length);
    },
  ),
  tolower: def(1, 1, 'string', ([v], [t]) => str(t, v).toLowerCase()),
  toupper: def(1, 1, 'string', ([v], [t]) => str(t, v).toUpperCase()),
  hash_sha256: def(1, 1, 'string', ([v], [t]) =>
    isNull(v) && t !== 'string' ? '' : createHash('sha256').update(str(t, v), 'utf8').digest('hex'),
  ),
};
