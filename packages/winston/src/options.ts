import type { IngestionOptions } from 'azure-ingestion-core';
import type { LevelSet, RecordShapeOptions } from 'azure-ingestion-core/adapter';
import type TransportStream from 'winston-transport';

/** A winston `info` object as a transport receives it (symbols included). */
export type WinstonInfo = Readonly<Record<string | symbol, unknown>>;

/**
 * Options of {@link AzureIngestionTransport}: every option of the core's `IngestionClient`
 * (endpoint, rule, stream, credential, batching, retries, … each also readable from its
 * `AZURE_LOGS_INGESTION_*` variable), winston's transport options, and the mapping options below.
 */
export interface AzureIngestionTransportOptions extends IngestionOptions, RecordShapeOptions {
  /** Most verbose level this transport writes; defaults to the logger's level (winston). */
  readonly level?: string;
  /** A logform format applied to each info before it is mapped (winston). */
  readonly format?: TransportStream.TransportStreamOptions['format'];
  /** Drop every log (winston). @default false */
  readonly silent?: boolean;
  /** Log uncaught exceptions; the log is flushed before winston exits (winston). @default false */
  readonly handleExceptions?: boolean;
  /** Log unhandled rejections; the log is flushed before winston exits (winston). @default false */
  readonly handleRejections?: boolean;
  /**
   * Severity numbers (OpenTelemetry scale, 1 … 24) of custom level labels, e.g.
   * `{ audit: 9, panic: 21 }`. Labels missing here are looked up in `levelSet`.
   */
  readonly levels?: Readonly<Record<string, number>>;
  /**
   * The level set of the logger, used to map standard labels to severity numbers. Without it the
   * set is inferred from the logger's levels when the transport is added (syslog and cli are
   * recognised by their labels), else npm.
   * @default 'npm'
   */
  readonly levelSet?: LevelSet;
  /**
   * Build the whole record yourself (for a custom stream and table). It receives the info as
   * winston gives it (do not mutate it) and returns a JSON-serializable object; the default
   * mapping and `columns` are then not used. A throw is reported as a `warn` event and the log
   * is skipped.
   */
  readonly toRecord?: (info: WinstonInfo) => object;
}

/** Options this package consumes; every other key goes to the core (which rejects unknown keys). */
const ADAPTER_KEYS = [
  'level',
  'format',
  'silent',
  'handleExceptions',
  'handleRejections',
  'levels',
  'levelSet',
  'toRecord',
  'columns',
  // winston-transport's own (undocumented here) constructor options
  'log',
  'logv',
  'close',
  'highWaterMark',
] as const;

type AdapterKey = (typeof ADAPTER_KEYS)[number];

/** Splits the options into the core's part and this adapter's part (without copying values). */
export function splitOptions(options: AzureIngestionTransportOptions = {}): {
  readonly core: IngestionOptions;
  readonly adapter: Pick<
    AzureIngestionTransportOptions,
    AdapterKey & keyof AzureIngestionTransportOptions
  >;
} {
  const core: Record<string, unknown> = {};
  const adapter: Record<string, unknown> = {};
  const adapterKeys: readonly string[] = ADAPTER_KEYS;
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key];
    if (adapterKeys.includes(key)) adapter[key] = value;
    else core[key] = value;
  }
  return { core: core as IngestionOptions, adapter };
}
