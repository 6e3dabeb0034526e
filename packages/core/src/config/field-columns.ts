/**
 * The `fieldColumns` option: which fields of a log become columns of their own (instead of
 * staying in Properties), and optionally of which type. Two forms, the same meaning:
 *
 *   environment / string   UserId=user.id,DurationMs:real=responseTime,Path=req.url\.path
 *   options object         { UserId: 'user.id', DurationMs: { path: 'responseTime', type: 'real' } }
 *
 * A path is a dotted list of keys into the log's other fields (what would go to Properties).
 * A key that contains a dot is written with a backslash (`url\.path`), or, in the object form,
 * as an array of keys (`{ path: ['url.path'] }`); `\,` `\=` `\:` and `\\` escape those
 * characters in the string form. Parsed once, at construction (resolve.ts).
 */

import { COLUMN_TYPES, type ColumnType, isColumnType } from '../record/column-types.js';
import { DEFAULT_COLUMNS } from '../record/default-record.js';
import { columnNameIssue } from './columns.js';
import type { Issue } from './destination.js';

/** One field → column mapping, as resolved from the option. */
export interface FieldColumn {
  /** The column name. */
  readonly column: string;
  /** The keys from the log's fields to the value. */
  readonly path: readonly string[];
  /** The path as written in the string form (`user.id`, `url\.path`), for messages. */
  readonly field: string;
  /** The column type values are converted to; undefined keeps values as they are. */
  readonly type?: ColumnType;
}

/** One entry of the object form: a path, or a path and a type. */
export type FieldColumnSpec =
  | string
  | {
      /** Dotted path (`user.id`, `\.` for a dot inside a key), or the keys as an array. */
      readonly path: string | readonly string[];
      /** Convert values to this column type (a value that cannot be converted stays in Properties). */
      readonly type?: ColumnType;
    };

/** The `fieldColumns` option: the string form, or column name → spec. */
export type FieldColumnsOption = string | Readonly<Record<string, FieldColumnSpec>>;

const SYNTAX =
  'write Column=path or Column:type=path, e.g. UserId=user.id,DurationMs:real=responseTime';
const TYPES_FIX = `use one of ${COLUMN_TYPES.join(', ')}`;

/** Splits `text` at unescaped `sep`, keeping escapes (they are removed per key later). */
function splitUnescaped(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[i + 1];
      i++;
    } else if (c === sep) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

const unescapeKey = (key: string): string => key.replace(/\\(.)/g, '$1');

/** The keys of a dotted path (escapes removed), or an issue. */
function pathKeys(text: string, column: string): { keys?: string[]; issue?: Issue } {
  const keys = splitUnescaped(text.trim(), '.').map(unescapeKey);
  if (keys.some((k) => k === '')) {
    return {
      issue: {
        problem: `${column}: the path ${JSON.stringify(text)} has an empty key`,
        fix: 'write keys separated by single dots (a dot inside a key as \\.)',
      },
    };
  }
  return { keys };
}

/** The path as the string form writes it. */
export function fieldText(keys: readonly string[]): string {
  return keys.map((k) => k.replace(/[\\.,=:]/g, '\\$&')).join('.');
}

/** The string form of field columns (`UserId=user.id,DurationMs:real=responseTime`). */
export function formatFieldColumns(columns: readonly FieldColumn[]): string {
  return columns
    .map((c) => `${c.column}${c.type === undefined ? '' : `:${c.type}`}=${fieldText(c.path)}`)
    .join(',');
}

interface Parsed {
  readonly columns: FieldColumn[];
  readonly issues: Issue[];
}

function entry(column: string, keys: readonly string[], type: ColumnType | undefined): FieldColumn {
  const base = { column, path: Object.freeze([...keys]), field: fieldText(keys) };
  return Object.freeze(type === undefined ? base : { ...base, type });
}

/** One `Column[:type]=path` of the string form. */
function parseEntry(text: string, out: Parsed): void {
  const eq = splitUnescaped(text, '=');
  if (eq.length < 2 || eq[0]!.trim() === '') {
    out.issues.push({ problem: `${JSON.stringify(text.trim())} is not Column=path`, fix: SYNTAX });
    return;
  }
  const [head = '', ...rest] = eq;
  const [name = '', type, ...more] = splitUnescaped(head.trim(), ':');
  const column = unescapeKey(name.trim());
  const typeName = type?.trim().toLowerCase();
  if (more.length > 0 || (typeName !== undefined && !isColumnType(typeName))) {
    const problem = `${column}: ${JSON.stringify(head.trim())} does not name a column type`;
    out.issues.push({ problem, fix: TYPES_FIX });
    return;
  }
  const { keys, issue } = pathKeys(rest.join('='), column);
  if (issue) out.issues.push(issue);
  else out.columns.push(entry(column, keys!, typeName as ColumnType | undefined));
}

/** One `column: spec` of the object form. */
function parseSpec(column: string, spec: unknown, out: Parsed): void {
  if (typeof spec === 'string') {
    const { keys, issue } = pathKeys(spec, column);
    if (issue) out.issues.push(issue);
    else out.columns.push(entry(column, keys!, undefined));
    return;
  }
  const s = spec as { path?: unknown; type?: unknown } | null;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) {
    const fix = "give a path ('user.id') or { path, type }";
    out.issues.push({ problem: `${column}: is not a path or { path, type }`, fix });
    return;
  }
  if (s.type !== undefined && !isColumnType(s.type)) {
    out.issues.push({
      problem: `${column}: type ${JSON.stringify(s.type)} is not a column type`,
      fix: TYPES_FIX,
    });
    return;
  }
  const type = s.type as ColumnType | undefined;
  if (
    Array.isArray(s.path) &&
    s.path.length > 0 &&
    s.path.every((k) => typeof k === 'string' && k !== '')
  ) {
    out.columns.push(entry(column, s.path as string[], type));
    return;
  }
  if (typeof s.path !== 'string') {
    const fix = "give path as a dotted string ('user.id') or an array of keys (['user', 'id'])";
    out.issues.push({ problem: `${column}: path is missing or not a path`, fix });
    return;
  }
  const { keys, issue } = pathKeys(s.path, column);
  if (issue) out.issues.push(issue);
  else out.columns.push(entry(column, keys!, type));
}

const isPrefix = (a: readonly string[], b: readonly string[]): boolean =>
  a.length <= b.length && a.every((k, i) => k === b[i]);

/** Names the service refuses, default columns, one name twice, one field under two columns. */
function checkColumns(columns: readonly FieldColumn[], issues: Issue[]): void {
  const seen = new Map<string, FieldColumn>();
  for (const c of columns) {
    const nameIssue = columnNameIssue(c.column);
    if (nameIssue) {
      const fix = /reserved/.test(nameIssue.problem)
        ? `choose another column name, e.g. ${c.column.charAt(0).toUpperCase()}${c.column.slice(1)}Value`
        : 'use 2–45 characters: a letter first, then letters, digits or _ (e.g. UserId)';
      issues.push({ problem: `${c.column}: ${nameIssue.problem}`, fix });
    }
    if ((DEFAULT_COLUMNS as readonly string[]).includes(c.column)) {
      issues.push({
        problem: `${c.column}: is a column of the default record`,
        fix: 'choose another column name (the default columns are filled by the logger)',
      });
    }
    const key = c.column.toLowerCase();
    if (seen.has(key)) {
      issues.push({ problem: `${c.column}: is named twice`, fix: 'give each column once' });
    }
    seen.set(key, c);
  }
  for (const [i, a] of columns.entries()) {
    for (const b of columns.slice(i + 1)) {
      if (!isPrefix(a.path, b.path) && !isPrefix(b.path, a.path)) continue;
      issues.push({
        problem: `${a.column} (${a.field}) and ${b.column} (${b.field}) take the same field`,
        fix: 'give each field, and each part of a field, to one column only',
      });
    }
  }
}

/**
 * The `fieldColumns` option (the string form, or the object form) as a list of columns, in the
 * order given, and what is wrong with it.
 */
export function parseFieldColumns(value: unknown): Parsed {
  const out: Parsed = { columns: [], issues: [] };
  if (typeof value === 'string') {
    for (const part of splitUnescaped(value, ',')) if (part.trim() !== '') parseEntry(part, out);
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [column, spec] of Object.entries(value)) parseSpec(column, spec, out);
  } else {
    out.issues.push({
      problem: 'must be a string (Column=path,…) or an object of column name to path',
      fix: "pass e.g. { UserId: 'user.id', DurationMs: { path: 'responseTime', type: 'real' } }",
    });
    return out;
  }
  if (out.issues.length === 0) checkColumns(out.columns, out.issues);
  return out;
}
