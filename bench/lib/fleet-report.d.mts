// Types of fleet-report.mjs, for the CI-sized fleet test (TypeScript).

export declare const SPAN_MS: number;

export interface FleetRequest {
  /** Epoch ms when the emulator received it. */
  readonly at: number;
  readonly status: number;
  /** Records stored (0 unless accepted). */
  readonly records: number;
}

export interface SpanFigures {
  readonly requests: number;
  readonly share429: number;
  readonly acceptedPerMin: number;
  readonly requestsPerMin: number;
}

export interface FleetFigures {
  readonly requests: number;
  readonly accepted: number;
  readonly answered429: number;
  readonly firstThrottleS: number | undefined;
  readonly share429AfterFirstThrottle: number;
  readonly share429DuringLoad: number;
  readonly recordsPerRequest: number;
  readonly settleS: number | undefined;
  readonly settled: SpanFigures | undefined;
  /** The second half of the load. */
  readonly secondHalf: SpanFigures;
  readonly limitPerMin: number;
}

export declare function fleetFigures(run: {
  readonly requests: readonly FleetRequest[];
  readonly limitPerMin: number;
  readonly loadFrom: number;
  readonly loadTo: number;
}): FleetFigures;

export declare function formatFigures(f: FleetFigures, lost: number, duplicates: number): string;
