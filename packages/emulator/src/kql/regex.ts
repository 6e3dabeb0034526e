/**
 * KQL regular expressions are RE2; most RE2 syntax reads the same in JavaScript. Translated
 * here: named groups `(?P<name>…)`, leading inline flags `(?i)`, `(?s)`, `(?m)`, `(?U)`
 * (ungreedy: quantifiers swap greediness), `\A` and `\z`. Patterns are cached: transforms
 * use the same few constants on every row.
 */
import { KqlError } from './errors.js';

const cache = new Map<string, RegExp>();

/** Swap greedy and lazy quantifiers (RE2's U flag). */
function ungreedy(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') inClass = true;
    out += c;
    const quantifier = c === '*' || c === '+' || c === '?' || c === '}';
    // `(?` opens a group, not a quantifier.
    if (quantifier && !(c === '?' && src[i - 1] === '(')) {
      if (src[i + 1] === '?') i++;
      else out += '?';
    }
  }
  return out;
}

/** A JavaScript RegExp for a KQL (RE2) pattern and optional flags (`i`, `m`, `s`, `U`). */
export function compileRegex(pattern: string, flags = ''): RegExp {
  const key = `${flags}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let src = pattern;
  let f = flags;
  const inline = /^\(\?([imsU]+)\)/.exec(src);
  if (inline) {
    f += inline[1];
    src = src.slice(inline[0].length);
  }
  src = src
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  if (f.includes('U')) src = ungreedy(src);
  const jsFlags = [...new Set(f.replace(/U/g, '').split(''))].join('');
  let re: RegExp;
  try {
    re = new RegExp(src, jsFlags);
  } catch (err) {
    throw new KqlError(
      'SemanticError',
      0,
      `invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}`,
    );
  }
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

/** A global copy of a regex, for matchAll. */
export function globalRegex(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
}
