/**
 * Tokens of KQL as transforms use it: identifiers (hyphenated operator names like `project-away`
 * and negated operators like `!contains` are one token), numbers (`5` is a long, `5.0` a real),
 * timespan literals (`1.5h`, `100ms`), strings ('…', "…", verbatim @'…', h'…', ```…```),
 * `datetime(…)`/`timespan(…)`/`guid(…)` literals read raw, symbols and `//` comments.
 */
import { KqlError } from './errors.js';
import { TIMESPAN_LITERAL, unitTicks } from './timespan.js';

export type TokKind = 'id' | 'long' | 'real' | 'timespan' | 'str' | 'sym' | 'raw';

export interface Tok {
  readonly t: TokKind;
  /** Identifier, symbol, string value, number text; for `raw`, the literal's type name. */
  readonly v: string;
  /** `raw`: the text between the parentheses; `timespan`: the tick count. */
  readonly raw?: string;
  readonly at: number;
}

const SYMBOLS = [
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '=~',
  '!~',
  '..',
  '|',
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '.',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  ';',
  ':',
];
/** `!` words that are operators. */
const NEGATED = new Set([
  'contains',
  'contains_cs',
  'has',
  'has_cs',
  'startswith',
  'startswith_cs',
  'endswith',
  'endswith_cs',
  'in',
  'between',
  'hasprefix',
  'hassuffix',
  'has_any',
  'has_all',
  'matches',
]);
/** Literals whose content is read raw: `datetime(2015-12-31 23:59:59.9)`. */
const RAW_LITERALS = new Set(['datetime', 'date', 'time', 'timespan', 'guid']);
const HYPHENATED = /^(project|mv|parse|make|top|sample)-[a-z]+(-[a-z]+)?/;

function readQuoted(
  src: string,
  start: number,
  quote: string,
  verbatim: boolean,
): [string, number] {
  let v = '';
  let i = start;
  while (i < src.length) {
    const c = src[i]!;
    if (c === quote) {
      if (verbatim && src[i + 1] === quote) {
        v += quote;
        i += 2;
        continue;
      }
      return [v, i + 1];
    }
    if (!verbatim && c === '\\' && i + 1 < src.length) {
      const e = src[i + 1]!;
      if (e === 'u' && /^[0-9a-fA-F]{4}/.test(src.slice(i + 2, i + 6))) {
        v += String.fromCharCode(Number.parseInt(src.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      v += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '0' ? '\0' : e;
      i += 2;
      continue;
    }
    if (c === '\n' && !verbatim) break;
    v += c;
    i++;
  }
  throw new KqlError('SyntaxError', start - 1, 'unterminated string literal');
}

function readRaw(src: string, open: number): [string, number] {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '(') depth++;
    else if (src[i] === ')' && --depth === 0) return [src.slice(open + 1, i).trim(), i + 1];
  }
  throw new KqlError('SyntaxError', open, "missing ')'");
}

export function tokenize(src: string): Tok[] {
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
    const rest = src.slice(i, i + 64);
    if (src.startsWith('```', i)) {
      const end = src.indexOf('```', i + 3);
      if (end < 0) throw new KqlError('SyntaxError', at, 'unterminated ``` string literal');
      out.push({ t: 'str', v: src.slice(i + 3, end), at });
      i = end + 3;
      continue;
    }
    const prefix = /^(@|[hH]@?)(?=['"])/.exec(rest);
    if (c === '"' || c === "'" || prefix) {
      const skip = prefix ? prefix[0].length : 0;
      const [v, next] = readQuoted(
        src,
        i + skip + 1,
        src[i + skip]!,
        skip > 0 && prefix![0].includes('@'),
      );
      out.push({ t: 'str', v, at });
      i = next;
      continue;
    }
    if (/\d/.test(c)) {
      const hex = /^0[xX][0-9a-fA-F]+/.exec(rest);
      if (hex) {
        out.push({ t: 'long', v: BigInt(hex[0]).toString(), at });
        i += hex[0].length;
        continue;
      }
      const span = TIMESPAN_LITERAL.exec(src.slice(i, i + 40));
      const ticks = span ? unitTicks(span[1]!, span[2]!) : undefined;
      if (span && ticks !== undefined) {
        out.push({ t: 'timespan', v: span[0], raw: ticks.toString(), at });
        i += span[0].length;
        continue;
      }
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest.length < 64 ? rest : src.slice(i))!;
      out.push({ t: m[1] || m[2] ? 'real' : 'long', v: m[0], at });
      i += m[0].length;
      continue;
    }
    const word = /^[A-Za-z_$][A-Za-z0-9_]*/.exec(rest);
    if (word) {
      const hyph = HYPHENATED.exec(src.slice(i, i + 40));
      let w = hyph ? hyph[0] : word[0];
      if ((w === 'in' || w === 'has') && src[i + w.length] === '~') w += '~';
      i += w.length;
      const open = /^\s*\(/.exec(src.slice(i, i + 20));
      if (RAW_LITERALS.has(w.toLowerCase()) && open) {
        const [raw, next] = readRaw(src, i + open[0].length - 1);
        out.push({ t: 'raw', v: w.toLowerCase(), raw, at });
        i = next;
        continue;
      }
      out.push({ t: 'id', v: w, at });
      continue;
    }
    if (c === '!') {
      const neg = /^!([a-z_]+)(~)?/.exec(rest);
      if (neg && NEGATED.has(neg[1]!)) {
        out.push({ t: 'id', v: neg[0], at });
        i += neg[0].length;
        continue;
      }
    }
    const sym = SYMBOLS.find((s) => src.startsWith(s, i));
    if (!sym) throw new KqlError('SyntaxError', at, `unexpected character ${JSON.stringify(c)}`);
    out.push({ t: 'sym', v: sym, at });
    i += sym.length;
  }
  return out;
}
