/**
 * Kusto's scalar types, how each is held while a transform runs, and the names each goes by
 * (in KQL syntax, in DCR and table column declarations, in Azure's error messages).
 *
 *   type       value while a transform runs          stored in a row (JSON)
 *   string     string (never null: '' instead)        string
 *   bool       boolean | null                         boolean
 *   int        number (int32) | null                  number
 *   long       bigint | null                          number, or decimal text beyond 2^53
 *   real       number | null                          number
 *   datetime   bigint ticks (100 ns) | null           ISO 8601 text
 *   timespan   bigint ticks | null                    [-][d.]hh:mm:ss[.fffffff]
 *   guid       lowercase text | null                  text
 *   dynamic    a JSON value (null for none)           the JSON value
 */

export type KType =
  | 'string'
  | 'bool'
  | 'int'
  | 'long'
  | 'real'
  | 'datetime'
  | 'timespan'
  | 'guid'
  | 'dynamic';

export const NUMERIC: ReadonlySet<KType> = new Set(['int', 'long', 'real']);

/** Type names accepted in KQL syntax (`parse … x:long`, `typeof(int)`, `let f = (a:int)`). */
const SYNTAX_NAMES: Record<string, KType> = {
  string: 'string',
  bool: 'bool',
  boolean: 'bool',
  int: 'int',
  int32: 'int',
  long: 'long',
  int64: 'long',
  real: 'real',
  double: 'real',
  datetime: 'datetime',
  date: 'datetime',
  timespan: 'timespan',
  time: 'timespan',
  guid: 'guid',
  uniqueid: 'guid',
  dynamic: 'dynamic',
};

export function typeFromSyntax(name: string): KType | undefined {
  return SYNTAX_NAMES[name.toLowerCase()];
}

/**
 * Column types of DCR stream declarations and of workspace tables (ARM writes `dateTime`,
 * `boolean`; tables also have `guid`). Streams cannot declare `guid` (DCR structure docs).
 */
const COLUMN_NAMES: Record<string, KType> = {
  string: 'string',
  int: 'int',
  long: 'long',
  real: 'real',
  boolean: 'bool',
  bool: 'bool',
  datetime: 'datetime',
  dynamic: 'dynamic',
  guid: 'guid',
};

export function typeFromColumn(name: unknown): KType | undefined {
  return typeof name === 'string' ? COLUMN_NAMES[name.toLowerCase()] : undefined;
}

/** The name a column type is declared with (for messages and inferred tables). */
export function columnTypeName(t: KType): string {
  return t === 'bool' ? 'boolean' : t;
}

/**
 * .NET type names, as Azure's InvalidTransformOutput message prints them
 * (`TenantId [produced:'String', output:'Guid']`, `[produced:'Double', output:'Int']`,
 * `[produced:'Int', output:'Long']`: seen in public deployment logs; the other names follow
 * the same scheme and are guesses).
 */
const CLR_NAMES: Record<KType, string> = {
  string: 'String',
  bool: 'Boolean',
  int: 'Int',
  long: 'Long',
  real: 'Double',
  datetime: 'DateTime',
  timespan: 'TimeSpan',
  guid: 'Guid',
  dynamic: 'Dynamic',
};

export function clrName(t: KType): string {
  return CLR_NAMES[t];
}

/** A column of a schema: what a stream declares, a transform outputs or a table holds. */
export interface Column {
  readonly name: string;
  readonly type: KType;
}

export type Schema = ReadonlyArray<Column>;
