/**
 * Conversion and type functions of the transformations page: tobool, todatetime,
 * todouble/toreal, toguid, toint, tolong, tostring, totimespan, parse_json, gettype, isnull,
 * isnotnull, isempty, isnotempty. Each returns null when the value does not convert, as KQL does.
 */
import type { KType } from '../types.js';
import {
  getType,
  isNull,
  toBool,
  toDatetime,
  toDynamic,
  toGuid,
  toInt,
  toLong,
  toReal,
  toStr,
  toTimespan,
} from '../values.js';
import { def, type FnDef } from './registry.js';

function parseJson(t: KType, v: unknown): unknown {
  if (t === 'dynamic') return v ?? null;
  if (t !== 'string') return toDynamic(t, v);
  // gettype(parse_json('')) is 'null' and isnull(parse_json("")) true (gettype, isnull docs).
  if ((v as string).trim() === '') return null;
  try {
    return JSON.parse(v as string);
  } catch {
    // "If json is of type string, but it isn't a properly formatted JSON string, then the
    // returned value is an object of type dynamic that holds the original string value."
    return v;
  }
}

/** isempty(): null, or an empty string (the transforms' usual test for a missing text). */
function isEmpty(t: KType, v: unknown): boolean {
  return isNull(v) || (t === 'string' && v === '') || (t === 'dynamic' && v === '');
}

export const CONVERSION: Record<string, FnDef> = {
  tobool: def(1, 1, 'bool', ([v], [t]) => toBool(t!, v)),
  todatetime: def(1, 1, 'datetime', ([v], [t]) => toDatetime(t!, v)),
  todouble: def(1, 1, 'real', ([v], [t]) => toReal(t!, v)),
  toreal: def(1, 1, 'real', ([v], [t]) => toReal(t!, v)),
  toguid: def(1, 1, 'guid', ([v], [t]) => toGuid(t!, v)),
  toint: def(1, 1, 'int', ([v], [t]) => toInt(t!, v)),
  tolong: def(1, 1, 'long', ([v], [t]) => toLong(t!, v)),
  tostring: def(1, 1, 'string', ([v], [t]) => toStr(t!, v)),
  totimespan: def(1, 1, 'timespan', ([v], [t]) => toTimespan(t!, v)),
  parse_json: def(1, 1, 'dynamic', ([v], [t]) => parseJson(t!, v)),
  gettype: def(1, 1, 'string', ([v], [t]) => getType(t!, v)),
  isnull: def(1, 1, 'bool', ([v], [t]) => t !== 'string' && isNull(v)),
  isnotnull: def(1, 1, 'bool', ([v], [t]) => t === 'string' || !isNull(v)),
  isempty: def(1, 1, 'bool', ([v], [t]) => isEmpty(t!, v)),
  isnotempty: def(1, 1, 'bool', ([v], [t]) => !isEmpty(t!, v)),
};
