/**
 * Typed literals: `int(null)`, `real(1)`, `bool(true)`, and the ones whose text is read raw,
 * `datetime(2015-12-31 23:59:59.9)`, `timespan(0.12:34:56.7)` / `time(1d)` /
 * `timespan(15 seconds)`, `guid(…)` (the data type pages of the Kusto docs).
 */
import { parseDateTime } from './datetime.js';
import { semantic } from './errors.js';
import { parseTimespan } from './timespan.js';
import type { KType } from './types.js';
import { convert } from './values.js';

function typed(type: KType, text: unknown, at: number): unknown {
  if (text === null) return null;
  const v = convert(type, typeof text === 'boolean' ? 'bool' : 'string', text);
  if (v === null) throw semantic(at, `'${String(text)}' is not a ${type} literal`);
  return v;
}

function raw(type: KType, text: string, at: number): unknown {
  const inner = /^(['"])(.*)\1$/.exec(text)?.[2] ?? text;
  if (inner === 'null') return null;
  const seconds = type === 'timespan' ? /^(\d+(?:\.\d+)?)\s*seconds?$/.exec(inner) : null;
  const v =
    type === 'datetime'
      ? inner === ''
        ? null
        : parseDateTime(inner)
      : type === 'guid'
        ? convert('guid', 'string', inner)
        : parseTimespan(seconds ? `${seconds[1]}s` : inner);
  if (v === null) throw semantic(at, `${type}(${text}) is not a ${type} literal`);
  return v;
}

/** The type and value of a literal: `literal` ones carry their type name, `raw` ones their kind. */
export function literal(
  form: 'literal' | 'raw',
  name: string,
  text: unknown,
  at: number,
): { type: KType; value: unknown } {
  if (form === 'literal') return { type: name as KType, value: typed(name as KType, text, at) };
  const type: KType =
    name === 'guid' ? 'guid' : name === 'datetime' || name === 'date' ? 'datetime' : 'timespan';
  return { type, value: raw(type, text as string, at) };
}
