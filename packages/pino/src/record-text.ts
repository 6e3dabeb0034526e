/**
 * Writes the default record as JSON text from pieces that are already JSON (slices of the pino
 * line, memoised level fragments). Produces what the core's `toDefaultRecord` + `safeStringify`
 * would for the same entry (a test checks the two agree), without re-serializing the line.
 */
import type { DefaultColumn } from 'azure-ingestion-core';

/** Every piece is JSON text; undefined leaves the column out. */
export interface RecordPieces {
  readonly time: string;
  readonly levelFragment: string;
  readonly message: string;
  readonly exception: string | undefined;
  readonly traceId: string | undefined;
  readonly spanId: string | undefined;
  readonly host: string | undefined;
  readonly properties: string | undefined;
}

/** `"Name":` per column, or undefined when the column is renamed to null. */
export type ColumnPrefixes = Readonly<Record<DefaultColumn, string | undefined>>;

export function columnPrefixes(
  names: Readonly<Record<DefaultColumn, string | null>>,
): ColumnPrefixes {
  const out = {} as Record<DefaultColumn, string | undefined>;
  for (const [col, name] of Object.entries(names) as [DefaultColumn, string | null][]) {
    out[col] = name === null ? undefined : `${JSON.stringify(name)}:`;
  }
  return out;
}

/** `"Level":"info","SeverityNumber":9` with the columns' names (either may be left out). */
export function levelFragment(prefixes: ColumnPrefixes, label: string, severity: number): string {
  const level = prefixes.Level === undefined ? '' : `${prefixes.Level}${JSON.stringify(label)}`;
  const sev = prefixes.SeverityNumber === undefined ? '' : `${prefixes.SeverityNumber}${severity}`;
  return level !== '' && sev !== '' ? `${level},${sev}` : level + sev;
}

/** The record's JSON text, columns in the core's order. */
export function recordText(p: ColumnPrefixes, r: RecordPieces): string {
  let s = '{';
  let sep = '';
  if (p.TimeGenerated !== undefined) {
    s += `${p.TimeGenerated}"${r.time}"`;
    sep = ',';
  }
  if (r.levelFragment !== '') {
    s += sep + r.levelFragment;
    sep = ',';
  }
  if (p.Message !== undefined) {
    s += sep + p.Message + r.message;
    sep = ',';
  }
  if (r.exception !== undefined && p.Exception !== undefined) {
    s += sep + p.Exception + r.exception;
    sep = ',';
  }
  if (r.traceId !== undefined && p.TraceId !== undefined) {
    s += sep + p.TraceId + r.traceId;
    sep = ',';
  }
  if (r.spanId !== undefined && p.SpanId !== undefined) {
    s += sep + p.SpanId + r.spanId;
    sep = ',';
  }
  if (r.host !== undefined && p.Host !== undefined) {
    s += sep + p.Host + r.host;
    sep = ',';
  }
  if (r.properties !== undefined && p.Properties !== undefined) {
    s += sep + p.Properties + r.properties;
  }
  return `${s}}`;
}
