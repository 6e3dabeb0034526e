/**
 * From what sample logs hold to a proposal: the table's columns, the stream's declaration, and
 * how records get into them. For pino and winston logs: the default columns plus a column per
 * field worth one (a scalar present in enough records), filled by the transports'
 * `fieldColumns` (or, instead, by a `transformKql` in the DCR). For other NDJSON: a column per
 * key, as the records are.
 */
import type { ColumnType, FieldColumn } from 'azure-ingestion-core';
import {
  columnNameIssue,
  DEFAULT_COLUMN_TYPES,
  formatFieldColumns,
} from 'azure-ingestion-core/adapter';
import type { Collected, FieldStats, Shape } from './collect.js';
import { columnName } from './names.js';

export interface SchemaColumn {
  readonly name: string;
  readonly type: ColumnType;
}

/** A proposed column of its own, and where its values come from. */
export interface ProposedColumn extends SchemaColumn {
  /** The field's path in the logs (`user.id`), or the record's key. */
  readonly field: string;
  /** Share of the records that hold a value for it, 0 … 1. */
  readonly share: number;
}

/** The proposal (the `--json` output of `schema`, with the template). */
export interface SchemaProposal {
  readonly shape: Shape;
  readonly records: number;
  readonly streamName: string;
  readonly tableName: string;
  /** The stream's declared columns. */
  readonly streamColumns: readonly SchemaColumn[];
  /** The table's columns. */
  readonly tableColumns: readonly SchemaColumn[];
  /** The columns of their own, by share. */
  readonly columns: readonly ProposedColumn[];
  /** The transports' `AZURE_LOGS_INGESTION_FIELD_COLUMNS` (pino and winston logs). */
  readonly fieldColumns?: string;
  /** The DCR data flow's transformation. */
  readonly transformKql: string;
  /**
   * Instead of `fieldColumns`: a transformation that fills the same table columns from
   * `Properties` (the stream then declares the default columns only; the values stay in
   * `Properties` too).
   */
  readonly alternativeTransformKql?: string;
  /** Fields that cannot be columns, and why. */
  readonly notes: readonly string[];
}

export interface ProposeOptions {
  /** The stream to declare. @default 'Custom-AppLogs' */
  readonly streamName?: string | undefined;
  /** The table. @default the stream's name without `Custom-`, plus `_CL` */
  readonly tableName?: string | undefined;
  /** A field gets a column when at least this share of the records holds it. @default 0.1 */
  readonly minShare?: number | undefined;
  /** At most this many columns of their own (the most frequent). @default 50 */
  readonly maxColumns?: number | undefined;
}

const INTEGER_TYPES: ReadonlySet<ColumnType> = new Set(['int', 'long']);
const NUMBER_TYPES: ReadonlySet<ColumnType> = new Set(['int', 'long', 'real']);

/**
 * The one type that holds every value seen (mixed scalars: string, which takes any). With
 * `convert` (values go through fieldColumns' conversion), numbers beside numbers written as text
 * (`12` and `"12.5"`) make a `real` column; text alone stays text (zip codes, ids).
 */
function typeOf(stats: FieldStats, convert = false): ColumnType {
  const strings = stats.types.get('string') ?? 0;
  const numbers = [...NUMBER_TYPES].some((t) => stats.types.has(t));
  if (convert && numbers && strings > 0 && stats.numericText === strings) {
    const others = [...stats.types.keys()].filter((t) => t !== 'string');
    if (others.every((t) => NUMBER_TYPES.has(t))) return 'real';
  }
  const seen = [...stats.types.keys()];
  if (seen.length === 1) return seen[0]!;
  if (seen.includes('dynamic')) return 'dynamic';
  if (seen.every((t) => INTEGER_TYPES.has(t))) return 'long';
  if (seen.every((t) => NUMBER_TYPES.has(t))) return 'real';
  return 'string';
}

const KQL_FUNCTION: Record<ColumnType, string> = {
  string: 'tostring',
  int: 'toint',
  long: 'tolong',
  real: 'toreal',
  boolean: 'tobool',
  datetime: 'todatetime',
  dynamic: '',
};

/** `Properties.user.id`, with `['a.b']` for keys that are not identifiers. */
function kqlPath(path: readonly string[]): string {
  return path
    .map((k) =>
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `.${k}` : `['${k.replace(/['\\]/g, '\\$&')}']`,
    )
    .join('');
}

const DEFAULTS: readonly SchemaColumn[] = Object.entries(DEFAULT_COLUMN_TYPES).map(
  ([name, type]) => ({ name, type }),
);

interface Limits {
  readonly minShare: number;
  readonly maxColumns: number;
}

function mapped(c: Collected, options: Limits): Omit<SchemaProposal, 'streamName' | 'tableName'> {
  const taken = new Set(DEFAULTS.map((d) => d.name.toLowerCase()));
  const candidates = c.fields
    .filter(
      (f) => f.present > 0 && f.present >= options.minShare * c.records && typeOf(f) !== 'dynamic',
    )
    .sort((a, b) => b.present - a.present)
    .slice(0, options.maxColumns);
  const fields: FieldColumn[] = [];
  const columns = candidates.map((f): ProposedColumn => {
    const type = typeOf(f, true);
    const name = columnName(f.path, taken);
    // The path as the variable writes it (a dot inside a key escaped).
    const entry = formatFieldColumns([{ column: name, path: f.path, field: '', type }]);
    const field = entry.slice(entry.indexOf('=') + 1);
    fields.push({ column: name, path: f.path, field, type });
    return { name, type, field, share: f.present / c.records };
  });
  const extend = columns.map((col, i) => {
    const fn = KQL_FUNCTION[col.type];
    const value = `Properties${kqlPath(fields[i]!.path)}`;
    return `${col.name} = ${fn ? `${fn}(${value})` : value}`;
  });
  const all = [...DEFAULTS, ...columns.map(({ name, type }) => ({ name, type }))];
  return {
    shape: c.shape,
    records: c.records,
    streamColumns: all,
    tableColumns: all,
    columns,
    ...(fields.length > 0 && { fieldColumns: formatFieldColumns(fields) }),
    transformKql: 'source',
    ...(extend.length > 0 && { alternativeTransformKql: `source | extend ${extend.join(', ')}` }),
    notes: [],
  };
}

function raw(c: Collected): Omit<SchemaProposal, 'streamName' | 'tableName'> {
  const taken = new Set<string>();
  const notes: string[] = [];
  const stream: SchemaColumn[] = [];
  const table: SchemaColumn[] = [];
  const renames: string[] = [];
  const columns: ProposedColumn[] = [];
  for (const f of c.fields) {
    const key = f.path[0]!;
    if (!/^[A-Za-z][A-Za-z0-9_]{1,44}$/.test(key)) {
      notes.push(
        `${key}: not a valid column name (2–45 letters, digits or _, a letter first), so the service drops it; rename the field in the records`,
      );
      continue;
    }
    const type = key === 'TimeGenerated' ? 'datetime' : f.present === 0 ? 'string' : typeOf(f);
    if (key === 'TimeGenerated' && f.present > 0 && typeOf(f) !== 'datetime') {
      notes.push(
        'TimeGenerated: not ISO 8601 text in every record; the service replaces a time it cannot read with the time it receives the record',
      );
    }
    // A reserved name (TenantId, Type, id, …) is declared in the stream, renamed for the table.
    const name =
      columnNameIssue(key) === undefined && !taken.has(key.toLowerCase())
        ? key
        : columnName([key], taken);
    taken.add(name.toLowerCase());
    if (name !== key) renames.push(`${name} = ${key}`);
    stream.push({ name: key, type });
    table.push({ name, type });
    columns.push({ name, type, field: key, share: f.present / c.records });
  }
  const steps = ['source'];
  if (!stream.some((s) => s.name === 'TimeGenerated')) {
    // Every table has TimeGenerated: records without one get the time they arrive.
    table.unshift({ name: 'TimeGenerated', type: 'datetime' });
    steps.push('extend TimeGenerated = now()');
  }
  if (renames.length > 0) steps.push(`project-rename ${renames.join(', ')}`);
  return {
    shape: 'raw',
    records: c.records,
    streamColumns: stream,
    tableColumns: table,
    columns,
    transformKql: steps.join(' | '),
    notes,
  };
}

/** The table for a stream: `Custom-Orders` → `Orders_CL`. */
export function tableFor(streamName: string): string {
  const base = streamName.replace(/^(Custom|Microsoft)-/, '').replace(/[^A-Za-z0-9_]/g, '_');
  return base.endsWith('_CL') ? base : `${base}_CL`;
}

/** The proposal for the collected fields. */
export function propose(c: Collected, options: ProposeOptions = {}): SchemaProposal {
  const streamName = options.streamName ?? 'Custom-AppLogs';
  const limits: Limits = {
    minShare: options.minShare ?? 0.1,
    maxColumns: options.maxColumns ?? 50,
  };
  const body = c.shape === 'raw' ? raw(c) : mapped(c, limits);
  return { ...body, streamName, tableName: options.tableName ?? tableFor(streamName) };
}
