/**
 * The records `doctor` uses: the probe it sends (one small default record, so a 204 means the
 * transports' records get in), and the sample the pre-flight checks (every column the
 * transports can send with this configuration, each with a value of its kind).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ColumnType, FieldColumn, ResolvedConfig } from 'azure-ingestion-core';
import {
  type SchemaFinding,
  type StreamSchema,
  schemaFindings,
  toDefaultRecord,
} from 'azure-ingestion-core/adapter';
import { VERSION } from '../version.js';

/** The probe: one info record of the default shape; it is stored in the table like any log. */
export function probeRecord(): Record<string, unknown> {
  return toDefaultRecord({
    time: Date.now(),
    level: 'info',
    severityNumber: 9,
    message: 'azure-ingestion doctor: probe record',
    host: hostname(),
    properties: { probe: `azure-ingestion-cli/${VERSION}` },
  });
}

const SAMPLES: Record<ColumnType, () => unknown> = {
  string: () => 'text',
  int: () => 1,
  long: () => 2 ** 40,
  real: () => 1.5,
  boolean: () => true,
  datetime: () => new Date().toISOString(),
  dynamic: () => ({ sample: true }),
};

/**
 * A record with every column this configuration can send: the default columns, the field
 * columns (a value of their type; untyped ones a string) and the record id column.
 */
function sampleRecord(config: ResolvedConfig): Record<string, unknown> {
  const fields = config.fieldColumns ?? [];
  const record = toDefaultRecord({
    time: Date.now(),
    level: 'error',
    severityNumber: 17,
    message: 'sample',
    error: new Error('sample'),
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    host: hostname(),
    properties: { sample: true },
  });
  for (const f of fields) record[f.column] = SAMPLES[f.type ?? 'string']();
  if (config.recordIdColumn) record[config.recordIdColumn] = randomUUID();
  // As sent: Dates and errors as their JSON.
  return JSON.parse(JSON.stringify(record));
}

/**
 * The pre-flight of this configuration against the stream's declared columns. An untyped field
 * column's values are sent as they come, so only whether it is declared can be told.
 */
export function preflight(config: ResolvedConfig, schema: StreamSchema): SchemaFinding[] {
  const fields: readonly FieldColumn[] = config.fieldColumns ?? [];
  const untyped = new Set(fields.filter((f) => f.type === undefined).map((f) => f.column));
  return schemaFindings(sampleRecord(config), schema, fields).filter(
    (f) => !(f.kind === 'wrong-type' && untyped.has(f.column)),
  );
}
