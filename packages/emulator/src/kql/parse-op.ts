/**
 * The parse operator (parse operator docs): the pattern becomes one anchored regular
 * expression, one named group per column.
 *
 *   kind=simple   constants are plain text; `*` and string columns match lazily (`.*?`); long
 *                 and int columns `-?\d+`, real columns a decimal number; a column whose text
 *                 does not convert makes every column null ("the match is strict").
 *   kind=regex    constants are regular expressions; string columns match greedily (the docs'
 *                 outputs show it; flags=U makes them lazy); flags i, m, s, U.
 *   kind=relaxed  as simple, but typed columns match anything and only the column whose text
 *                 does not convert is null.
 */
import type { ParsePart } from './ast.js';
import { compileRegex } from './regex.js';
import type { Column, KType } from './types.js';
import { convert } from './values.js';

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

const NUMBERS: Partial<Record<KType, string>> = {
  long: String.raw`-?\d+`,
  int: String.raw`-?\d+`,
  real: String.raw`-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?`,
};

function columnPattern(type: KType, kind: string): string {
  const number = NUMBERS[type];
  // relaxed: a number if there is one, else anything (which then converts to null).
  if (number) return kind === 'relaxed' ? `${number}|.*?` : number;
  return kind === 'regex' ? '.*' : '.*?';
}

export interface ParseOp {
  /** The columns the operator adds (or replaces). */
  readonly columns: Column[];
  /** Values of those columns for one input text, in `columns` order. */
  run(text: string): unknown[];
}

export function compileParse(kind: string, flags: string, pattern: ParsePart[]): ParseOp {
  const columns: Column[] = [];
  let src = '';
  for (const p of pattern) {
    if (p.k === 'star') src += '.*?';
    else if (p.k === 'text') src += kind === 'regex' ? p.text : escapeRegex(p.text);
    else {
      src += `(?<c${columns.length}>${columnPattern(p.type, kind)})`;
      columns.push({ name: p.name, type: p.type });
    }
  }
  const re = compileRegex(`^${src}$`, kind === 'regex' ? flags : 's');
  const empty = columns.map((c) => (c.type === 'string' ? '' : null));
  return {
    columns,
    run(text) {
      const m = re.exec(text);
      if (!m) return empty;
      const values = columns.map((c, i) => convert(c.type, 'string', m.groups![`c${i}`] ?? ''));
      if (kind !== 'relaxed' && values.some((v, i) => v === null && columns[i]!.type !== 'string'))
        return empty;
      return values;
    },
  };
}
