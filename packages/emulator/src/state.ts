/**
 * The shared state of one emulator instance, passed to every route handler.
 */
import type { RuleModel } from './dcr/load.js';
import type { FaultPlan } from './faults/plan.js';
import type { Cloud } from './http/cloud.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { RowStore } from './store/row-store.js';
import type { EmulatorCounters, RequestRecord } from './types.js';

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
  /** Sign a token and count it. */
  issueToken(audience: string, lifetimeSec: number): { token: string; expiresOn: number };
}

/** Kept request records; older ones are dropped so a long CI run stays bounded. */
export const MAX_REQUEST_LOG = 10_000;
/** Kept warnings, same reason. */
export const MAX_WARNINGS = 1_000;

/** Fresh counters; `warnings` starts with what loading the rules had to say. */
export function emptyCounters(loadWarnings: ReadonlyArray<string> = []): EmulatorCounters {
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
  };
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
  if (state.requestLog.length > MAX_REQUEST_LOG) {
    state.requestLog.splice(0, state.requestLog.length - MAX_REQUEST_LOG);
  }
}
