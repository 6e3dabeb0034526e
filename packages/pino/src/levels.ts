/**
 * pino levels → the `Level` label and the OpenTelemetry `SeverityNumber`.
 *
 * A pino line carries its level as a number (or as a label, when `formatters.level` returns one).
 * Labels come from the logger's levels (sent by pino to the worker, or seen in-process) merged
 * with the `customLevels` option; severities from `levelSeverities`, else the core's table for
 * pino's labels, else the nearest standard pino level at or below the number.
 */
import { severityNumber } from 'azure-ingestion-core/adapter';

/** pino's own levels (pino/lib/constants.js). */
export const PINO_LEVELS: Readonly<Record<string, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
});

/** OpenTelemetry severities of pino's numbers, used for custom numbers between them. */
const STANDARD_STEPS: readonly (readonly [number, number])[] = [
  [60, 21],
  [50, 17],
  [40, 13],
  [30, 9],
  [20, 5],
  [10, 1],
];

/** The level of one line, resolved once per distinct value and memoised. */
export interface ResolvedLevel {
  readonly label: string;
  readonly severity: number;
}

/** The severity of a pino level number with no explicit mapping. */
export function severityOfNumber(level: number): number {
  for (const [n, s] of STANDARD_STEPS) if (level >= n) return s;
  return 1;
}

/**
 * Resolves level values of lines. `setLevels` takes the logger's `levels.values` when pino tells
 * them (PINO_CONFIG); the explicit `customLevels` option always stays merged on top.
 */
export class LevelTable {
  readonly #custom: Readonly<Record<string, number>>;
  readonly #severities: Readonly<Record<string, number>> | undefined;
  #labels = new Map<number, string>();
  #values: Record<string, number> = {};
  readonly #cache = new Map<number | string, ResolvedLevel>();

  constructor(
    customLevels: Readonly<Record<string, number>> | undefined,
    levelSeverities: Readonly<Record<string, number>> | undefined,
  ) {
    this.#custom = customLevels ?? {};
    this.#severities = levelSeverities;
    this.setLevels(undefined);
  }

  /** Takes the logger's label→number table (pino's `levels.values`). */
  setLevels(values: Readonly<Record<string, number>> | undefined): void {
    this.#values = { ...PINO_LEVELS, ...values, ...this.#custom };
    this.#labels = new Map();
    for (const [label, n] of Object.entries(this.#values)) this.#labels.set(n, label);
    this.#cache.clear();
  }

  /** The label and severity of a line's level value (a number, or a label). */
  resolve(value: unknown): ResolvedLevel {
    const key = typeof value === 'number' || typeof value === 'string' ? value : String(value);
    let hit = this.#cache.get(key);
    if (hit === undefined) {
      hit = this.#compute(key);
      // A line could carry any string: keep the memo small.
      if (this.#cache.size < 256) this.#cache.set(key, hit);
    }
    return hit;
  }

  #compute(value: number | string): ResolvedLevel {
    if (typeof value === 'number') {
      const label = this.#labels.get(value) ?? String(value);
      return { label, severity: this.#severity(label, value) };
    }
    const n = this.#values[value];
    return { label: value, severity: this.#severity(value, n) };
  }

  #severity(label: string, n: number | undefined): number {
    const explicit = this.#severities?.[label];
    if (explicit !== undefined) return explicit;
    if (label in PINO_LEVELS) return severityNumber(label, undefined, 'pino');
    if (n !== undefined) return severityOfNumber(n);
    return severityNumber(label, undefined, 'pino');
  }
}
