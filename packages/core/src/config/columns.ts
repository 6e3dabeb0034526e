/**
 * Column names, and the `columns` renames of the default record: one rule for the core's
 * `recordId` option and both adapters' `columns` option, so a name refused by one is refused
 * by all (the service would otherwise drop the column, or one value would overwrite another).
 */
import type { ConfigProblem } from '../errors.js';
import { DEFAULT_COLUMNS } from '../record/default-record.js';
import type { DefaultColumn } from '../types.js';
import type { Issue } from './destination.js';
import type { FieldColumn } from './field-columns.js';

const COLUMN_NAME = /^[A-Za-z][A-Za-z0-9_]{1,44}$/;

/**
 * Names Log Analytics keeps for itself (its other reserved names start with `_`, which the
 * pattern refuses). Compared without case: a table cannot declare `type` beside `Type` either.
 */
const RESERVED = new Set(['id', 'tenantid', 'type', 'billedsize', 'isbillable']);

/** Column names: 2–45 chars, a letter first, then letters, digits or `_`; not reserved. */
export function columnNameIssue(name: string): Issue | undefined {
  if (!COLUMN_NAME.test(name)) {
    return {
      problem: 'is not a valid column name',
      fix: 'use 2–45 characters: a letter first, then letters, digits or _ (e.g. RecordId)',
    };
  }
  if (RESERVED.has(name.toLowerCase())) {
    return { problem: 'is a reserved column name', fix: 'choose another name, e.g. RecordId' };
  }
  return undefined;
}

/** The default columns `columns` may rename; `RecordId` is named by the `recordId` option. */
const RENAMABLE: readonly DefaultColumn[] = DEFAULT_COLUMNS.filter((c) => c !== 'RecordId');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The problem with one `columns` entry, if any. */
function entryIssue(key: string, name: unknown): Issue | undefined {
  if (key === 'RecordId') {
    return {
      problem: 'is named by the recordId option, not by columns',
      fix: 'remove columns.RecordId and set recordId to the column name (true names it RecordId)',
    };
  }
  if (!(RENAMABLE as readonly string[]).includes(key)) {
    return { problem: 'is not a default column', fix: `rename one of ${RENAMABLE.join(', ')}` };
  }
  if (name === null) return undefined;
  if (typeof name !== 'string') {
    return {
      problem: 'must be a column name or null',
      fix: 'give the new name as a string, or null to leave the column out',
    };
  }
  return columnNameIssue(name);
}

/**
 * The problems of a `columns` option (default column → new name, or null to leave it out):
 * unknown columns, invalid or reserved names, and two columns under one name.
 * @param option the option's name in messages
 */
export function columnsProblems(columns: unknown, option = 'columns'): ConfigProblem[] {
  if (columns === undefined) return [];
  if (!isPlainObject(columns)) {
    return [
      {
        option,
        value: columns,
        source: 'option',
        problem: 'must be an object of default column to new name',
        fix: "pass e.g. { Message: 'Msg', Host: null }",
      },
    ];
  }
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(columns)) {
    const issue = entryIssue(key, columns[key]);
    if (issue)
      problems.push({
        option: `${option}.${key}`,
        value: columns[key],
        source: 'option',
        ...issue,
      });
  }
  // Two columns under one name: in the record one value would overwrite the other.
  const owners = new Map<string, DefaultColumn[]>();
  for (const col of RENAMABLE) {
    const name = Object.hasOwn(columns, col) ? columns[col] : col;
    if (typeof name !== 'string') continue;
    const list = owners.get(name);
    if (list) list.push(col);
    else owners.set(name, [col]);
  }
  for (const [name, cols] of owners) {
    if (cols.length < 2) continue;
    problems.push({
      option,
      value: name,
      source: 'option',
      problem: `gives ${cols.join(' and ')} the same name`,
      fix: 'give each column its own name, or null to leave one out',
    });
  }
  return problems;
}

/**
 * The problems of `columns` renames beside `fieldColumns` (`client.config.fieldColumns`): a
 * default column renamed to a field column's name would put two values under one name. For an
 * adapter, after its client resolved the field columns.
 */
export function fieldColumnsClashes(
  columns: unknown,
  fields: readonly FieldColumn[] | undefined,
): ConfigProblem[] {
  if (!isPlainObject(columns) || fields === undefined) return [];
  const problems: ConfigProblem[] = [];
  for (const [col, name] of Object.entries(columns)) {
    if (typeof name !== 'string') continue;
    const field = fields.find((f) => f.column.toLowerCase() === name.toLowerCase());
    if (field === undefined) continue;
    problems.push({
      option: `columns.${col}`,
      value: name,
      source: 'option',
      problem: `gives ${col} the name of the field column ${field.column} (${field.field})`,
      fix: 'give the default column another name, or the field column another name in fieldColumns',
    });
  }
  return problems;
}
