/**
 * Validation and defaults of {@link EmulatorOptions}: the one place that throws on bad options.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_DCR, DEFAULT_TABLE_DEFINITION } from './dcr/default-dcr.js';
import { CLOUDS, type Cloud } from './http/cloud.js';
import {
  DEFAULT_BYTES_PER_MINUTE,
  DEFAULT_REQUESTS_PER_MINUTE,
  DEFAULT_WINDOW_MS,
} from './http/rate-limit.js';
import type { EmulatorOptions } from './types.js';

/**
 * Rows kept per table by default: ~450 bytes each kept as text, ~1 KB as objects, so a table
 * stays under ~100 MB however many rows a test pushes (1,000,000 rows took ~1 GB).
 */
export const DEFAULT_MAX_ROWS_PER_TABLE = 100_000;

export interface ResolvedOptions {
  readonly port: number;
  readonly host: string;
  readonly allowedHosts: ReadonlyArray<string>;
  readonly dcrs: ReadonlyArray<object | string>;
  readonly dataDir: string | undefined;
  readonly https: boolean;
  readonly requestsPerMinute: number;
  readonly bytesPerMinute: number;
  readonly rateWindowMs: number;
  readonly forbiddenRules: ReadonlyArray<string>;
  readonly tokenLifetimeSec: number;
  readonly tokenSecret: string;
  readonly now: () => number;
  readonly requestTimeoutMs: number;
  readonly maxRowsPerTable: number;
  readonly latencyMs: number;
  readonly tables: ReadonlyArray<object | string>;
  readonly lenientSize: boolean;
  readonly cloud: Cloud;
}

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new TypeError(
      `startEmulator: option ${name} must be a number >= ${min}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export function resolveOptions(o: EmulatorOptions = {}): ResolvedOptions {
  const port = o.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(
      `startEmulator: option port must be an integer 0..65535 (0 picks a free port), got ${JSON.stringify(o.port)}`,
    );
  }
  if (o.dcrs !== undefined && (!Array.isArray(o.dcrs) || o.dcrs.length === 0)) {
    throw new TypeError(
      'startEmulator: option dcrs must be a non-empty array of DCR objects or file paths (omit it for the default DCR)',
    );
  }
  if (
    o.tokenSecret !== undefined &&
    (typeof o.tokenSecret !== 'string' || o.tokenSecret.length < 16)
  ) {
    throw new TypeError(
      'startEmulator: option tokenSecret must be a string of at least 16 characters',
    );
  }
  if (o.tables !== undefined && !Array.isArray(o.tables)) {
    throw new TypeError(
      'startEmulator: option tables must be an array of table definitions (objects or file paths)',
    );
  }
  if (o.cloud !== undefined && !CLOUDS.includes(o.cloud)) {
    throw new TypeError(
      `startEmulator: option cloud must be one of ${CLOUDS.join(', ')}, got ${JSON.stringify(o.cloud)}`,
    );
  }
  if (
    o.allowedHosts !== undefined &&
    (!Array.isArray(o.allowedHosts) ||
      !o.allowedHosts.every((h) => typeof h === 'string' && h.trim() !== ''))
  ) {
    throw new TypeError(
      'startEmulator: option allowedHosts must be an array of host names (the names besides localhost and IP addresses that requests may use in their Host header)',
    );
  }
  return {
    port,
    host: o.host ?? '127.0.0.1',
    allowedHosts: o.allowedHosts ?? [],
    dcrs: o.dcrs ?? [DEFAULT_DCR],
    // The default DCR comes with its table; other DCRs bring theirs (or get them inferred).
    tables: o.tables ?? (o.dcrs === undefined ? [DEFAULT_TABLE_DEFINITION] : []),
    lenientSize: o.lenientSize === true,
    cloud: o.cloud ?? 'public',
    dataDir: o.dataDir,
    https: o.https === true,
    requestsPerMinute: positive(
      'rateLimits.requestsPerMinute',
      o.rateLimits?.requestsPerMinute,
      DEFAULT_REQUESTS_PER_MINUTE,
    ),
    bytesPerMinute: positive(
      'rateLimits.bytesPerMinute',
      o.rateLimits?.bytesPerMinute,
      DEFAULT_BYTES_PER_MINUTE,
    ),
    rateWindowMs: positive('rateLimits.windowMs', o.rateLimits?.windowMs, DEFAULT_WINDOW_MS, 100),
    forbiddenRules: o.forbiddenRules ?? [],
    tokenLifetimeSec: positive('tokenLifetimeSec', o.tokenLifetimeSec, 3600),
    tokenSecret: o.tokenSecret ?? randomBytes(32).toString('hex'),
    now: o.now ?? Date.now,
    requestTimeoutMs: positive('requestTimeoutMs', o.requestTimeoutMs, 30_000, 100),
    maxRowsPerTable: positive('maxRowsPerTable', o.maxRowsPerTable, DEFAULT_MAX_ROWS_PER_TABLE),
    latencyMs: positive('latencyMs', o.latencyMs, 0, 0),
  };
}
