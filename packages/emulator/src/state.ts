/**
 * The shared state of one emulator instance, passed to every route handler.
 */
import type { RuleModel } from './dcr/load.js';
import type { IngestOutcome } from './dcr/rows.js';
import { MAX_NAMES, OTHER_NAMES } from './dcr/shape.js';
import type { FaultPlan } from './faults/plan.js';
import type { Cloud } from './http/cloud.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { RowStore } from './store/row-store.js';
import type { EmulatorCounters, RequestRecord, StreamCounters } from './types.js';

export interface State {
  readonly rules: ReadonlyMap<string, RuleModel>;
  readonly store: RowStore;
  counters: EmulatorCounters;
  readonly requestLog: RequestRecord[];
  readonly faults: FaultPlan;
  readonly limiter: RateLimiter;
  readonly forbidden: ReadonlySet<string>;
  readonly secret: string;
  readonly identityHeader: string;
  /** The secret of the emulator's one app (EMULATOR_CLIENT_ID), for the client-secret flow. */
  readonly clientSecret: string;
  readonly tokenLifetimeSec: number;
  readonly now: () => number;
  /** Aborted by stop(): pending latency delays end at once. */
  readonly closing: AbortSignal;
  /** Added to every POST before any fault. */
  readonly latencyMs: number;
  /** The cloud whose token audience is accepted. */
  readonly cloud: Cloud;
  /** Limits by observed behaviour (1 MB on the wire, 50 MB inflated) instead of the documented 1 MB. */
  readonly lenientSize: boolean;
  /** Grows with every logged request and reset: the console polls it to know when to refresh. */
  seq: number;
  /** Sign a token and count it. */
  issueToken(audience: string, lifetimeSec: number): { token: string; expiresOn: number };
}

/** Kept request records; older ones are dropped so a long CI run stays bounded. */
export const MAX_REQUEST_LOG = 10_000;
/** Kept warnings, same reason. */
export const MAX_WARNINGS = 1_000;

/** A count by name with no prototype: a property named `__proto__` is counted like any other. */
const byName = (): Record<string, number> => Object.create(null) as Record<string, number>;

/** Fresh counters of one stream. */
function emptyStream(ruleId: string, stream: string): StreamCounters {
  return {
    ruleId,
    stream,
    rowsReceived: 0,
    rowsIngested: 0,
    rowsDropped: 0,
    columnsDropped: byName(),
    valuesNulled: byName(),
    valuesTruncated: byName(),
    tableColumnsDropped: byName(),
    timeGeneratedReplaced: 0,
  };
}

/**
 * Fresh counters; `warnings` starts with what loading the rules had to say, `byStream` has an
 * entry for each stream served.
 */
export function emptyCounters(
  loadWarnings: ReadonlyArray<string> = [],
  streams: ReadonlyArray<{ readonly ruleId: string; readonly stream: string }> = [],
): EmulatorCounters {
  const byStream: Record<string, StreamCounters> = {};
  for (const s of streams) byStream[`${s.ruleId}/${s.stream}`] = emptyStream(s.ruleId, s.stream);
  return {
    requestsByStatus: {},
    rowsReceived: 0,
    rowsIngested: 0,
    rowsDropped: 0,
    columnsDropped: 0,
    tableColumnsDropped: 0,
    typeErrors: 0,
    valuesTruncated: 0,
    timeGeneratedReplaced: 0,
    bytesReceived: 0,
    bytesDecoded: 0,
    warnings: [...loadWarnings],
    tokensIssued: 0,
    byStream,
  };
}

function addNames(into: Record<string, number>, names: Map<string, number> | undefined): void {
  if (!names) return;
  for (const [name, n] of names) {
    const key = name in into || Object.keys(into).length < MAX_NAMES ? name : OTHER_NAMES;
    into[key] = (into[key] ?? 0) + n;
  }
}

/** Add what one body did to the totals and to its stream's counters. */
export function countIngest(
  state: State,
  ruleId: string,
  stream: string,
  outcome: IngestOutcome,
): void {
  const c = state.counters;
  c.rowsReceived += outcome.received;
  c.rowsIngested += outcome.ingested;
  c.rowsDropped += outcome.dropped;
  c.columnsDropped += outcome.columnsDropped;
  c.tableColumnsDropped += outcome.tableColumnsDropped;
  c.typeErrors += outcome.typeErrors;
  c.valuesTruncated += outcome.truncated;
  c.timeGeneratedReplaced += outcome.timeReplaced;
  const key = `${ruleId}/${stream}`;
  // Own properties only (the key always holds a '/', never `__proto__`).
  if (!Object.hasOwn(c.byStream, key)) c.byStream[key] = emptyStream(ruleId, stream);
  const s = c.byStream[key]!;
  s.rowsReceived += outcome.received;
  s.rowsIngested += outcome.ingested;
  s.rowsDropped += outcome.dropped;
  s.timeGeneratedReplaced += outcome.timeReplaced;
  addNames(s.columnsDropped, outcome.names.dropped);
  addNames(s.valuesNulled, outcome.names.nulled);
  addNames(s.valuesTruncated, outcome.names.truncated);
  addNames(s.tableColumnsDropped, outcome.names.tableDropped);
}

export function warn(state: State, message: string): void {
  const w = state.counters.warnings;
  w.push(message);
  if (w.length > MAX_WARNINGS) w.splice(0, w.length - MAX_WARNINGS);
}

export function logRequest(state: State, record: RequestRecord): void {
  const c = state.counters;
  if (record.status > 0) {
    const key = String(record.status);
    c.requestsByStatus[key] = (c.requestsByStatus[key] ?? 0) + 1;
  }
  c.bytesReceived += record.wireBytes;
  c.bytesDecoded += record.decodedBytes;
  state.requestLog.push(record);
  state.seq++;
  if (state.requestLog.length > MAX_REQUEST_LOG) {
    state.requestLog.splice(0, state.requestLog.length - MAX_REQUEST_LOG);
  }
}
