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
  let s = p.TimeGenerated === undefined ? '{' : `{${p.TimeGenerated}"${r.time}"`;
  if (r.levelFragment !== '') s = append(s, r.levelFragment);
  if (p.Message !== undefined) s = append(s, p.Message + r.message);
  s = column(s, p.Exception, r.exception);
  s = column(s, p.TraceId, r.traceId);
  s = column(s, p.SpanId, r.spanId);
  s = column(s, p.Host, r.host);
  s = column(s, p.Properties, r.properties);
  return `${s}}`;
}

/** `s` (an object's text so far, without its `}`) with one more member. */
function append(s: string, member: string): string {
  return s.length === 1 ? s + member : `${s},${member}`;
}

/** A column that is there only when it has a value and a name. */
function column(s: string, prefix: string | undefined, value: string | undefined): string {
  return prefix === undefined || value === undefined ? s : append(s, prefix + value);
}
