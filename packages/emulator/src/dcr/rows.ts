/**
 * Turning a parsed body into rows: shape against the stream declaration, run each data flow's
 * transform, drop the columns its table lacks, fix `TimeGenerated` to the service's window,
 * stamp `_TimeReceived`.
 */

import type { Row } from '../store/row-store.js';
import { parseTimeMs } from './iso-time.js';
import type { StreamModel } from './load.js';
import {
  emptyShapeCounts,
  MAX_FIELD_BYTES,
  type ShapeNames,
  shapeInPlace,
  tally,
} from './shape.js';
import { identityTransform } from './transform.js';

const TWO_DAYS_MS = 2 * 24 * 3600 * 1000;
const ONE_DAY_MS = 24 * 3600 * 1000;

/** What ingesting one body did. */
export interface IngestOutcome {
  readonly rowsByTable: Map<string, Row[]>;
  received: number;
  ingested: number;
  dropped: number;
  columnsDropped: number;
  /** Output columns the destination table lacks, removed from the rows. */
  tableColumnsDropped: number;
  typeErrors: number;
  truncated: number;
  timeReplaced: number;
  notObjects: number;
  /**
   * `long` values beyond 2^53 were rounded by JSON.parse: nothing was stored; ingest the body
   * again from records read with parseJsonExact.
   */
  inexact: boolean;
  /**
   * Every stored row is its input record unchanged plus `_TimeReceived` (one `source` flow,
   * nothing dropped, converted or replaced): the body's JSON text then stands for the rows.
   */
  verbatim: boolean;
  /** What was dropped, nulled or cut, by name (undefined lists: nothing). */
  readonly names: IngestNames;
}

/** Counts by name of one body: the shaping ones, and the table's missing columns. */
export interface IngestNames extends ShapeNames {
  /** Transform output columns the destination table lacks. */
  tableDropped: Map<string, number> | undefined;
}

function emptyOutcome(received: number): IngestOutcome {
  return {
    rowsByTable: new Map(),
    received,
    ingested: 0,
    dropped: 0,
    columnsDropped: 0,
    tableColumnsDropped: 0,
    typeErrors: 0,
    truncated: 0,
    timeReplaced: 0,
    notObjects: 0,
    inexact: false,
    verbatim: false,
    names: { dropped: undefined, nulled: undefined, truncated: undefined, tableDropped: undefined },
  };
}

/** Remove the output columns the table lacks; how many the row had (counted by name in `names`). */
function dropColumns(
  row: Record<string, unknown>,
  drop: ReadonlyArray<string>,
  names: IngestNames,
): number {
  let n = 0;
  for (const name of drop) {
    if (name in row) {
      delete row[name];
      names.tableDropped = tally(names.tableDropped, name);
      n++;
    }
  }
  return n;
}

/** What fixTimeGenerated did. */
const KEPT = 0;
const REPLACED = 1;
const FILLED = 2;

/** TimeGenerated outside [-2 days, +1 day] of receipt (or absent/unreadable) becomes the receive time. */
function fixTimeGenerated(row: Record<string, unknown>, nowMs: number, nowIso: string): number {
  const t = row.TimeGenerated;
  const ms = typeof t === 'string' ? parseTimeMs(t) : Number.NaN;
  if (!Number.isNaN(ms) && ms >= nowMs - TWO_DAYS_MS && ms <= nowMs + ONE_DAY_MS) return KEPT;
  row.TimeGenerated = nowIso;
  return t !== undefined && t !== null ? REPLACED : FILLED;
}

/**
 * Ingest an array of input records for one stream at `nowMs`. The records are consumed: they
 * come fresh from `JSON.parse`, so they are shaped in place and become the stored rows (no copy
 * per row unless several data flows need their own).
 */
export function ingestRecords(
  stream: StreamModel,
  records: unknown[],
  nowMs: number,
  /** Size of the decoded body: under 64 KB no value can need truncating. */
  bodyBytes = Number.POSITIVE_INFINITY,
): IngestOutcome {
  const nowIso = new Date(nowMs).toISOString();
  const ctx = { now: nowMs };
  const counts = emptyShapeCounts();
  const checkSizes = bodyBytes > MAX_FIELD_BYTES;
  let tableColumnsDropped = 0;
  // Table columns dropped by name (the shaping names are kept in counts.names).
  const names: IngestNames = {
    dropped: undefined,
    nulled: undefined,
    truncated: undefined,
    tableDropped: undefined,
  };
  const flows = stream.flows;
  // One list per table (flows to the same table share it): rows keep the order of the records.
  const byTable = new Map<string, Row[]>();
  const lists = flows.map((f): Row[] => {
    let list = byTable.get(f.table);
    if (!list) {
      list = [];
      byTable.set(f.table, list);
    }
    return list;
  });
  let ingested = 0;
  let timeReplaced = 0;
  let timeFilled = 0;
  let notObjects = 0;
  for (const rec of records) {
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
      notObjects++;
      continue;
    }
    const shaped = shapeInPlace(rec as Record<string, unknown>, stream.columns, counts, checkSizes);
    let kept = false;
    for (let i = 0; i < flows.length; i++) {
      const flow = flows[i]!;
      // Each flow may change its row: all but the last get a copy, made before any change.
      const input = i === flows.length - 1 ? shaped : { ...shaped };
      const row = flow.transform === identityTransform ? input : flow.transform(input, ctx);
      if (row === null) continue;
      if (flow.fit.dropped.length > 0)
        tableColumnsDropped += dropColumns(row, flow.fit.dropped, names);
      const fixed = fixTimeGenerated(row, nowMs, nowIso);
      if (fixed === REPLACED) timeReplaced++;
      else if (fixed === FILLED) timeFilled++;
      row._TimeReceived = nowIso;
      lists[i]!.push(row as Row);
      kept = true;
    }
    if (kept) ingested++;
  }
  if (counts.inexact > 0) return { ...emptyOutcome(records.length), inexact: true };
  const rowsByTable = new Map<string, Row[]>();
  for (const [table, list] of byTable) if (list.length > 0) rowsByTable.set(table, list);
  return {
    rowsByTable,
    received: records.length,
    ingested,
    dropped: records.length - ingested,
    columnsDropped: counts.columnsDropped,
    tableColumnsDropped,
    typeErrors: counts.typeErrors,
    truncated: counts.truncated,
    timeReplaced,
    notObjects,
    inexact: false,
    names: { ...counts.names, tableDropped: names.tableDropped },
    verbatim:
      flows.length === 1 &&
      flows[0]!.transform === identityTransform &&
      ingested === records.length &&
      counts.columnsDropped + counts.rewritten + tableColumnsDropped + timeReplaced + timeFilled ===
        0,
  };
}
