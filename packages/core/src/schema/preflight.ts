/**
 * The schema pre-flight: records checked against the stream's declared columns before they are
 * sent, because the service answers 204 and then silently drops a column the stream does not
 * declare, and stores null for a value of the wrong type. Each problem is said once per column,
 * naming the column, where its value comes from and the fix.
 */
import type { FieldColumn } from '../config/field-columns.js';
import { type ColumnType, inferType, kindOf, storedByService } from '../record/column-types.js';
import { DEFAULT_COLUMN_TYPES } from '../record/default-record.js';

/** A stream's declared columns, and the file they were read from (for messages). */
export interface StreamSchema {
  readonly stream: string;
  readonly columns: ReadonlyMap<string, ColumnType>;
  readonly file: string;
}

/** One column the service would drop or null. */
export interface SchemaFinding {
  readonly column: string;
  /** `undeclared`: the service drops the column; `wrong-type`: it stores null. */
  readonly kind: 'undeclared' | 'wrong-type';
  /** Where the value comes from, e.g. `field user.id (fieldColumns)`. */
  readonly source: string;
  /** The declared type (wrong-type), or the type to declare (undeclared). */
  readonly type: ColumnType;
  /** The value's kind, e.g. `a string` (wrong-type only). */
  readonly valueKind?: string;
  /** One line: the column, its source, what the service does, and the fix. */
  readonly message: string;
}

const isDefaultColumn = (name: string): name is keyof typeof DEFAULT_COLUMN_TYPES =>
  Object.hasOwn(DEFAULT_COLUMN_TYPES, name);

function sourceOf(column: string, field: FieldColumn | undefined): string {
  if (field) return `field ${field.field} (fieldColumns)`;
  if (isDefaultColumn(column)) return `the default record's ${column} column`;
  return `field ${column} of the record`;
}

function undeclaredFix(column: string, type: ColumnType, field: FieldColumn | undefined): string {
  const declare = `declare {"name":"${column}","type":"${type}"} in the stream and the table`;
  if (field)
    return `${declare}, or remove ${column} from fieldColumns to leave the value in Properties`;
  if (isDefaultColumn(column)) {
    return `${declare} (as templates/dcr.json does), rename the column with the columns option, or leave it out (columns: { ${column}: null })`;
  }
  return `${declare}, or rename the field to a declared column`;
}

function wrongTypeFix(column: string, value: unknown, field: FieldColumn | undefined): string {
  const suggested = inferType(value) ?? 'dynamic';
  if (field) {
    return `give the column a type in fieldColumns (${column}:TYPE=${field.field}) so values are converted, declare ${column} as ${suggested}, or remove it from fieldColumns to leave the value in Properties`;
  }
  if (isDefaultColumn(column)) {
    return `declare ${column} as ${DEFAULT_COLUMN_TYPES[column]} (as templates/dcr.json does), or rename the column with the columns option`;
  }
  return `declare ${column} as ${suggested}, or send values of the declared type`;
}

/** The key under which a finding is said once: its kind and its column. */
const findingKey = (kind: SchemaFinding['kind'], column: string): string =>
  `${kind}\u0000${column}`;

/**
 * The columns of `record` (a parsed record, as sent) the service would drop or null.
 * @param fields the `fieldColumns` in use, to name where a column comes from
 * @param said findings (by `findingKey`) already reported: not built again (a record checked
 *   per log call must not build the same long message for every log)
 */
export function schemaFindings(
  record: Readonly<Record<string, unknown>>,
  schema: StreamSchema,
  fields: readonly FieldColumn[] = [],
  said?: ReadonlySet<string>,
): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  for (const column of Object.keys(record)) {
    const value = record[column];
    const declared = schema.columns.get(column);
    if (declared !== undefined && storedByService(declared, value)) continue;
    const kind = declared === undefined ? 'undeclared' : 'wrong-type';
    if (said?.has(findingKey(kind, column))) continue;
    const field = fields.find((f) => f.column === column);
    const source = sourceOf(column, field);
    const where = `stream ${schema.stream} of ${schema.file}`;
    if (declared === undefined) {
      const type = isDefaultColumn(column)
        ? DEFAULT_COLUMN_TYPES[column]
        : (inferType(value) ?? 'dynamic');
      const fix = undeclaredFix(column, type, field);
      const message = `column ${column} (${source}) is not declared in ${where}: the service drops it. Fix: ${fix}`;
      out.push({ column, kind: 'undeclared', source, type, message });
    } else {
      const valueKind = kindOf(value);
      const fix = wrongTypeFix(column, value, field);
      const message = `column ${column} (${source}) holds ${valueKind} but ${where} declares it ${declared}: the service stores null. Fix: ${fix}`;
      out.push({ column, kind: 'wrong-type', source, type: declared, valueKind, message });
    }
  }
  return out;
}

/** Checks records as they are queued and says each column's problem once. */
export class SchemaCheck {
  readonly #schema: StreamSchema;
  readonly #fields: readonly FieldColumn[];
  readonly #warn: (line: string) => void;
  readonly #said = new Set<string>();

  constructor(
    schema: StreamSchema,
    fields: readonly FieldColumn[] | undefined,
    warn: (line: string) => void,
  ) {
    this.#schema = schema;
    this.#fields = fields ?? [];
    this.#warn = warn;
  }

  /** Checks one record's JSON text (one object). Never throws. */
  checkJson(text: string): void {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      return; // not JSON: the engine reports it as an invalid record
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return;
    const fields = this.#fields;
    const said = this.#said;
    for (const finding of schemaFindings(
      record as Record<string, unknown>,
      this.#schema,
      fields,
      said,
    )) {
      said.add(findingKey(finding.kind, finding.column));
      this.#warn(`schema pre-flight: ${finding.message}`);
    }
  }
}
