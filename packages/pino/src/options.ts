/**
 * Options of the pino transport: the core's plain-data options plus the few that say how to read
 * a pino line. Split here, validated here (the only place that throws), then the adapter keys are
 * stripped before the rest reaches the core, which rejects keys it does not know.
 */
import {
  type ConfigProblem,
  ConfigurationError,
  type IngestionOptions,
} from 'azure-ingestion-core';
import {
  columnsProblems,
  type RecordShapeOptions,
  severitiesProblems,
} from 'azure-ingestion-core/adapter';

/** How to read pino lines. Plain data: crosses into pino's worker thread. */
export interface PinoLineOptions extends RecordShapeOptions {
  /**
   * Custom levels as given to pino (`label → number`). In worker mode and in-process pino tells
   * the transport its levels itself; this option is for the CLI, or to override.
   */
  readonly customLevels?: Readonly<Record<string, number>>;
  /**
   * OpenTelemetry severity (1 … 24) per level label, e.g. `{ audit: 12 }`. Without it pino's
   * labels map trace 1, debug 5, info 9, warn 13, error 17, fatal 21, and a custom level takes
   * the severity of the nearest standard pino level at or below its number.
   */
  readonly levelSeverities?: Readonly<Record<string, number>>;
  /** The key of the message (pino's `messageKey`). @default pino's own setting, else `'msg'` */
  readonly messageKey?: string;
  /** The key of the error (pino's `errorKey`). @default pino's own setting, else `'err'` */
  readonly errorKey?: string;
  /** The key of the time (the key your `timestamp` function writes). @default 'time' */
  readonly timeKey?: string;
  /** The key of the level (when `formatters.level` renames it). @default 'level' */
  readonly levelKey?: string;
}

/**
 * Options of `pino({ transport: { target: 'pino-azure-ingestion', options } })`: plain data only,
 * since pino structured-clones them into its worker thread. The credential (the default one, or
 * the `AZURE_LOGS_INGESTION_*` variables) is resolved inside the worker.
 */
export type PinoTransportOptions = Omit<IngestionOptions, 'credential' | 'onError' | 'warn'> &
  PinoLineOptions;

/**
 * Options of the in-process factory (`pino(opts, await factory(options))`): as in worker mode,
 * plus the core's non-cloneable options (`credential`, `onError`, `warn`), usable only here.
 */
export type InProcessOptions = IngestionOptions & PinoLineOptions;

/** The adapter's options after validation, with pino's defaults still open. */
export interface LineConfig {
  readonly customLevels: Readonly<Record<string, number>> | undefined;
  readonly levelSeverities: Readonly<Record<string, number>> | undefined;
  readonly messageKey: string | undefined;
  readonly errorKey: string | undefined;
  readonly timeKey: string;
  readonly levelKey: string;
  readonly columns: RecordShapeOptions['columns'];
}

const LINE_KEYS = [
  'customLevels',
  'levelSeverities',
  'messageKey',
  'errorKey',
  'timeKey',
  'levelKey',
  'columns',
] as const;

// Keys pino and thread-stream add to a single target's options (its workerData).
const PINO_KEYS = ['$context', 'pinoWillSendConfig'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** pino's `customLevels`: label → the level number given to pino (any finite number). */
function checkCustomLevels(value: unknown, problems: ConfigProblem[]): void {
  if (value === undefined) return;
  const fix = 'give each custom level the number you gave pino, e.g. { audit: 35 }';
  if (!isRecord(value)) {
    problems.push({
      option: 'customLevels',
      value,
      source: 'option',
      problem: 'must be an object',
      fix,
    });
    return;
  }
  for (const [label, n] of Object.entries(value)) {
    if (typeof n === 'number' && Number.isFinite(n)) continue;
    const problem = 'is not a level number';
    problems.push({ option: `customLevels.${label}`, value: n, source: 'option', problem, fix });
  }
}

function checkKey(name: string, value: unknown, problems: ConfigProblem[]): void {
  if (value === undefined || (typeof value === 'string' && value !== '')) return;
  problems.push({
    option: name,
    value,
    source: 'option',
    problem: 'must be a non-empty string',
    fix: `set ${name} to the key your pino lines use, or leave it out`,
  });
}

/**
 * Splits the options into the core's and the adapter's, validating the adapter's.
 * @throws ConfigurationError naming every bad adapter option
 */
export function splitOptions<T extends PinoTransportOptions | InProcessOptions>(
  options: T | undefined,
): { core: IngestionOptions; line: LineConfig } {
  const all: Record<string, unknown> = { ...(options ?? {}) };
  const problems: ConfigProblem[] = [];
  checkCustomLevels(all.customLevels, problems);
  // The rules both adapters share come from the core, so both accept and refuse the same.
  problems.push(...severitiesProblems('levelSeverities', all.levelSeverities));
  for (const key of ['messageKey', 'errorKey', 'timeKey', 'levelKey'])
    checkKey(key, all[key], problems);
  problems.push(...columnsProblems(all.columns));
  if (problems.length > 0) throw new ConfigurationError(problems);

  const line: LineConfig = {
    customLevels: all.customLevels as LineConfig['customLevels'],
    levelSeverities: all.levelSeverities as LineConfig['levelSeverities'],
    messageKey: all.messageKey as string | undefined,
    errorKey: all.errorKey as string | undefined,
    timeKey: (all.timeKey as string | undefined) ?? 'time',
    levelKey: (all.levelKey as string | undefined) ?? 'level',
    columns: all.columns as LineConfig['columns'],
  };
  for (const key of LINE_KEYS) delete all[key];
  for (const key of PINO_KEYS) delete all[key];
  return { core: all as IngestionOptions, line };
}
