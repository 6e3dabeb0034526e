/**
 * Turning a parsed body into rows: shape against the stream declaration, run each data flow's
 * transform, fix `TimeGenerated` to the service's window, stamp `_TimeReceived`.
 */
import type { StreamModel } from './dcr.js';
import { shapeRecord } from './schema.js';
import type { Row } from './storage.js';

const TWO_DAYS_MS = 2 * 24 * 3600 * 1000;
const ONE_DAY_MS = 24 * 3600 * 1000;

/** What ingesting one body did. */
export interface IngestOutcome {
  readonly rowsByTable: Map<string, Row[]>;
  received: number;
  ingested: number;
  dropped: number;
  columnsDropped: number;
  typeErrors: number;
  truncated: number;
  timeReplaced: number;
  notObjects: number;
}

/** TimeGenerated outside [-2 days, +1 day] of receipt (or absent/unreadable) becomes the receive time. */
function fixTimeGenerated(row: Record<string, unknown>, nowMs: number, nowIso: string): boolean {
  const t = row.TimeGenerated;
  const ms = typeof t === 'string' ? Date.parse(t) : Number.NaN;
  if (!Number.isNaN(ms) && ms >= nowMs - TWO_DAYS_MS && ms <= nowMs + ONE_DAY_MS) return false;
  row.TimeGenerated = nowIso;
  return t !== undefined && t !== null;
}

/** Ingest an array of input records for one stream at `nowMs`. */
export function ingestRecords(
  stream: StreamModel,
  records: unknown[],
  nowMs: number,
): IngestOutcome {
  const nowIso = new Date(nowMs).toISOString();
  const ctx = { now: nowMs };
  const out: IngestOutcome = {
    rowsByTable: new Map(),
    received: records.length,
    ingested: 0,
    dropped: 0,
    columnsDropped: 0,
    typeErrors: 0,
    truncated: 0,
    timeReplaced: 0,
    notObjects: 0,
  };
  for (const rec of records) {
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
      out.notObjects++;
      out.dropped++;
      continue;
    }
    const shaped = shapeRecord(rec as Record<string, unknown>, stream.columns);
    out.columnsDropped += shaped.columnsDropped;
    out.typeErrors += shaped.typeErrors;
    out.truncated += shaped.truncated;
    let kept = false;
    for (const flow of stream.flows) {
      const row = flow.transform({ ...shaped.row }, ctx);
      if (row === null) continue;
      if (fixTimeGenerated(row, nowMs, nowIso)) out.timeReplaced++;
      const list = out.rowsByTable.get(flow.table) ?? [];
      list.push({ ...row, _TimeReceived: nowIso });
      out.rowsByTable.set(flow.table, list);
      kept = true;
    }
    if (kept) out.ingested++;
    else out.dropped++;
  }
  return out;
}
