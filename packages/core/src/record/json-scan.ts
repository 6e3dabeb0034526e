/**
 * A scanner of the top level of compact JSON text a logger already wrote (a pino line): where
 * each `"key":value` pair starts and ends, without building any value. pino writes compact JSON
 * (no whitespace, keys without escapes), so the pairs can be cut out and the rest of the line
 * reused as the `Properties` column unchanged. In the core (azure-ingestion-core/adapter) so that
 * every adapter reads logger text the same way.
 *
 * The scanner accepts only that compact form. Anything else (whitespace between tokens, escaped
 * keys, a malformed primitive, unbalanced brackets, a truncated line) returns -1 and the line
 * takes the safe path (parse and re-serialize), so a surprise costs time, never a broken record.
 */

const QUOTE = 34; // "
const BACKSLASH = 92; // \
const COLON = 58; // :
const COMMA = 44; // ,
const OPEN_BRACE = 123; // {
const CLOSE_BRACE = 125; // }
const OPEN_BRACKET = 91; // [
const CLOSE_BRACKET = 93; // ]

/** Where the pairs of a line are: key start (the quote), key end (after the quote), value end. */
export class PairIndex {
  /** Three numbers per pair. */
  positions: Int32Array = new Int32Array(96);
  count = 0;

  /** Grows the position buffer, keeping what is filled. */
  grow(): void {
    const bigger = new Int32Array(this.positions.length * 2);
    bigger.set(this.positions);
    this.positions = bigger;
  }
}

/** Whether the character at `i` (a quote) is escaped: preceded by an odd run of backslashes. */
export function escapedAt(text: string, i: number): boolean {
  let backslashes = 0;
  for (let b = i - 1; text.charCodeAt(b) === BACKSLASH; b--) backslashes++;
  return (backslashes & 1) === 1;
}

/** The index after the closing quote of the string opening at `start`, or -1. */
export function skipString(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) return -1;
    if (!escapedAt(text, quote)) return quote + 1;
    from = quote + 1;
  }
}

/** The end of the object or array opening at `start` (balanced, strings skipped), or -1. */
function skipContainer(text: string, start: number): number {
  let depth = 0;
  const n = text.length;
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = skipString(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The end of the digits from `i` (at least one), or -1. */
export function digitsEnd(text: string, i: number): number {
  if (!isDigit(text.charCodeAt(i))) return -1;
  let j = i + 1;
  while (isDigit(text.charCodeAt(j))) j++;
  return j;
}

/**
 * The value of text[start, end) when it is a plain unsigned integer of at most 15 digits (pino's
 * level and epoch-ms time: exact in a double), else -1. Saves a slice and a Number() per line.
 */
export function digitsAt(text: string, start: number, end: number): number {
  if (end - start > 15 || end <= start) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * text.startsWith(literal, at), as a loop: V8 11 does not inline startsWith, and for the few
 * characters of a key the call costs more than the comparison.
 */
export function sameAt(text: string, at: number, literal: string): boolean {
  for (let i = 0; i < literal.length; i++) {
    if (text.charCodeAt(at + i) !== literal.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * The end of the JSON number starting at `start`, or -1, in one pass (the caller checks what
 * follows): -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
 */
function numberEnd(text: string, start: number): number {
  let i = start;
  if (text.charCodeAt(i) === 45) i++; // -
  if (text.charCodeAt(i) === 48) i++;
  else {
    i = digitsEnd(text, i);
    if (i < 0) return -1;
  }
  if (text.charCodeAt(i) === 46) {
    i = digitsEnd(text, i + 1); // .
    if (i < 0) return -1;
  }
  if ((text.charCodeAt(i) | 32) === 101) {
    i++; // e or E
    const sign = text.charCodeAt(i);
    if (sign === 43 || sign === 45) i++;
    i = digitsEnd(text, i);
  }
  return i;
}

/** The end of the value starting at `start`, or -1. */
function skipValue(text: string, start: number): number {
  const c = text.charCodeAt(start);
  if (c === QUOTE) return skipString(text, start);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) return skipContainer(text, start);
  if (c === 116) return text.startsWith('true', start) ? start + 4 : -1;
  if (c === 102) return text.startsWith('false', start) ? start + 5 : -1;
  if (c === 110) return text.startsWith('null', start) ? start + 4 : -1;
  return numberEnd(text, start);
}

/**
 * Fills `index` with the top-level pairs of `text`, a compact JSON object.
 * @returns the number of pairs, or -1 when the text is not in the compact form
 */
export function scanPairs(text: string, index: PairIndex): number {
  index.count = 0;
  const last = text.length - 1;
  if (text.charCodeAt(0) !== OPEN_BRACE || text.charCodeAt(last) !== CLOSE_BRACE) return -1;
  if (last === 1) return 0;
  let i = 1;
  let k = 0;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return -1;
    const keyEnd = skipString(text, i);
    if (keyEnd < 0 || text.charCodeAt(keyEnd) !== COLON) return -1;
    const valueEnd = skipValue(text, keyEnd + 1);
    if (valueEnd < 0) return -1;
    if (k + 3 > index.positions.length) index.grow();
    const p = index.positions;
    p[k] = i;
    p[k + 1] = keyEnd;
    p[k + 2] = valueEnd;
    k += 3;
    const c = text.charCodeAt(valueEnd);
    if (c === CLOSE_BRACE) {
      if (valueEnd !== last) return -1;
      index.count = k / 3;
      return index.count;
    }
    if (c !== COMMA) return -1;
    i = valueEnd + 1;
  }
}
