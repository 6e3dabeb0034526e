/**
 * The option table: environment variable names, defaults and ranges of every plain-data option,
 * plus the strict parsers that turn environment strings into values.
 */
import type { IngestionOptions } from '../types.js';

/** Options that can come from the environment (everything except the callbacks and the credential). */
export type EnvOptionKey = Exclude<keyof IngestionOptions, 'credential' | 'warn' | 'onError'>;

const P = 'AZURE_LOGS_INGESTION_';

/** The environment variable of every plain-data option. */
export const ENV_VARS: { readonly [K in EnvOptionKey]: string } = Object.freeze({
  url: `${P}URL`,
  endpoint: `${P}ENDPOINT`,
  ruleId: `${P}RULE_ID`,
  streamName: `${P}STREAM`,
  audience: `${P}AUDIENCE`,
  apiVersion: `${P}API_VERSION`,
  token: `${P}TOKEN`,
  maxBatchBytes: `${P}MAX_BATCH_BYTES`,
  maxBatchRecords: `${P}MAX_BATCH_RECORDS`,
  flushIntervalMs: `${P}FLUSH_INTERVAL_MS`,
  maxConcurrency: `${P}MAX_CONCURRENCY`,
  maxRetries: `${P}MAX_RETRIES`,
  maxRetryTimeMs: `${P}MAX_RETRY_TIME_MS`,
  retryBaseMs: `${P}RETRY_BASE_MS`,
  retryMaxMs: `${P}RETRY_MAX_MS`,
  requestTimeoutMs: `${P}REQUEST_TIMEOUT_MS`,
  tokenTimeoutMs: `${P}TOKEN_TIMEOUT_MS`,
  closeTimeoutMs: `${P}CLOSE_TIMEOUT_MS`,
  maxBufferBytes: `${P}MAX_BUFFER_BYTES`,
  overflow: `${P}OVERFLOW`,
  gzipLevel: `${P}GZIP_LEVEL`,
  maxDepth: `${P}MAX_DEPTH`,
  recordId: `${P}RECORD_ID`,
  warnings: `${P}WARNINGS`,
  warningIntervalMs: `${P}WARNING_INTERVAL_MS`,
  userAgent: `${P}USER_AGENT`,
  spoolDir: `${P}SPOOL_DIR`,
  spoolMaxBytes: `${P}SPOOL_MAX_BYTES`,
  fieldColumns: `${P}FIELD_COLUMNS`,
  dcrFile: `${P}DCR_FILE`,
});

/** Every key of `IngestionOptions`, for the unknown-option check. */
export const OPTION_KEYS: readonly string[] = [
  ...Object.keys(ENV_VARS),
  'credential',
  'warn',
  'onError',
];

/** Integer options: [minimum, maximum, default]. The defaults are the `@default`s of types.ts. */
export const INTEGER_OPTIONS = {
  maxBatchBytes: [1024, 1_048_576, 1_048_576],
  maxBatchRecords: [0, 1_000_000, 0],
  flushIntervalMs: [10, 600_000, 2000],
  maxConcurrency: [1, 64, 4],
  maxRetryTimeMs: [0, 604_800_000, 600_000],
  retryBaseMs: [0, 600_000, 500],
  retryMaxMs: [0, 3_600_000, 30_000],
  requestTimeoutMs: [1, 600_000, 30_000],
  tokenTimeoutMs: [1, 600_000, 30_000],
  closeTimeoutMs: [0, 600_000, 8000],
  maxBufferBytes: [1024, 4_294_967_296, 67_108_864],
  gzipLevel: [0, 9, 1],
  maxDepth: [1, 100, 10],
  warningIntervalMs: [0, 86_400_000, 30_000],
  spoolMaxBytes: [65_536, 1_099_511_627_776, 1_073_741_824],
} as const satisfies Record<string, readonly [number, number, number]>;

export type IntegerOption = keyof typeof INTEGER_OPTIONS;

/** Integer options without a default (unset: no such limit): [minimum, maximum]. */
export const OPTIONAL_INTEGER_OPTIONS = {
  maxRetries: [0, 1000],
} as const satisfies Record<string, readonly [number, number]>;

export type OptionalIntegerOption = keyof typeof OPTIONAL_INTEGER_OPTIONS;

/**
 * The default of `maxRetryTimeMs` when a spool is configured (24 hours): the spool is for
 * outages longer than memory lasts, which the 10-minute default would cut short.
 */
export const SPOOL_MAX_RETRY_TIME_MS = 86_400_000;

export const DEFAULT_AUDIENCE = 'https://monitor.azure.com';
export const DEFAULT_API_VERSION = '2023-01-01';

/**
 * A whole number from an option or an environment string. Strings are parsed strictly:
 * optional sign, digits (with `_` separators allowed), nothing else ("12abc", "1.5", "" fail).
 */
export function parseInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  if (!/^[+-]?\d+(?:_\d+)*$/.test(t)) return undefined;
  const n = Number(t.replace(/_/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** A boolean from an option or an environment string (`true/false/1/0/yes/no/on/off`). */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const t = value.trim().toLowerCase();
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  return undefined;
}
