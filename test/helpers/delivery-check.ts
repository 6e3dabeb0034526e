/**
 * What every run of the fault matrix (and the soak) checks, from three independent sources: the
 * client's counters, the records `onError` received, and the rows the emulator stored.
 *
 * - the accounting identity: accepted = delivered + rejected + dropped (nothing pending);
 * - every acknowledged record (pushed and never given to `onError`) is stored, exactly once
 *   unless the run loses answers on purpose (then the copies carry the same RecordId: a retry,
 *   not a second record);
 * - a record given to `onError` is not stored (unless answers were lost);
 * - never more requests in flight than `maxConcurrency` (from the diagnostics channels).
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import {
  CHANNELS,
  type DeliveryFailure,
  type IngestionStats,
  type RequestEndMessage,
  type RequestStartMessage,
} from 'azure-ingestion-core';
import { expect } from 'vitest';

/** A record of the default stream carrying its run and index. */
export function numbered(run: string, i: number): Record<string, unknown> {
  return {
    TimeGenerated: new Date().toISOString(),
    Level: 'info',
    SeverityNumber: 9,
    Message: `record ${i} of ${run}`,
    Host: 'fault-matrix',
    Properties: { run, i },
  };
}

/** Counts the client's requests in flight (start to end) to URLs starting with `prefix`. */
export function watchInFlight(prefix: string): { max(): number; stop(): void } {
  const open = new Set<string>();
  let max = 0;
  const onStart = (m: unknown): void => {
    const msg = m as RequestStartMessage;
    if (!msg.url.startsWith(prefix)) return;
    open.add(msg.clientRequestId);
    max = Math.max(max, open.size);
  };
  const onEnd = (m: unknown): void => {
    open.delete((m as RequestEndMessage).clientRequestId);
  };
  diagnosticsChannel.subscribe(CHANNELS.requestStart, onStart);
  diagnosticsChannel.subscribe(CHANNELS.requestEnd, onEnd);
  return {
    max: () => max,
    stop() {
      diagnosticsChannel.unsubscribe(CHANNELS.requestStart, onStart);
      diagnosticsChannel.unsubscribe(CHANNELS.requestEnd, onEnd);
    },
  };
}

/** The index of a record's JSON text (as `onError` gives it) or of a stored row. */
function indexOf(record: Record<string, unknown>): number {
  return (record.Properties as { i: number }).i;
}

export interface DeliveryRun {
  readonly pushed: number;
  readonly stats: IngestionStats;
  readonly failures: readonly DeliveryFailure[];
  /** The rows of this run the emulator stored. */
  readonly rows: readonly Record<string, unknown>[];
  /** Answers were lost on purpose: a record may be stored twice (same RecordId). */
  readonly duplicatesAllowed?: boolean;
  /**
   * The process ended with requests in flight: a record reported undelivered may have been
   * stored all the same (at most once), its answer never read.
   */
  readonly endedInFlight?: boolean;
}

/** Asserts the checks above; returns the indexes given to onError. */
export function expectDelivery(run: DeliveryRun): Set<number> {
  const { pushed, stats, failures, rows } = run;
  expect(stats.accepted).toBe(pushed);
  expect(stats.delivered + stats.rejected + stats.dropped).toBe(pushed);
  const failed = new Set<number>();
  for (const f of failures) for (const text of f.records) failed.add(indexOf(JSON.parse(text)));
  expect(failed.size).toBe(stats.rejected + stats.dropped);
  const copies = new Map<number, Set<unknown>>();
  for (const row of rows) {
    const i = indexOf(row);
    expect(i >= 0 && i < pushed).toBe(true);
    const ids = copies.get(i) ?? new Set();
    ids.add(row.RecordId);
    copies.set(i, ids);
  }
  const counts = new Map<number, number>();
  for (const row of rows) counts.set(indexOf(row), (counts.get(indexOf(row)) ?? 0) + 1);
  for (let i = 0; i < pushed; i++) {
    const n = counts.get(i) ?? 0;
    if (failed.has(i)) {
      if (run.endedInFlight) expect(n, `undelivered record ${i}`).toBeLessThanOrEqual(1);
      else if (!run.duplicatesAllowed) expect(n, `record ${i} failed yet stored`).toBe(0);
      continue;
    }
    if (run.duplicatesAllowed) expect(n, `acknowledged record ${i}`).toBeGreaterThanOrEqual(1);
    else expect(n, `acknowledged record ${i} stored`).toBe(1);
    // Copies of one record are one retried record: one RecordId.
    expect(copies.get(i)?.size ?? 0).toBe(1);
  }
  return failed;
}
