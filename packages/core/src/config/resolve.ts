/**
 * Resolves the options once, at construction: explicit option, then environment variable, then
 * default. Every problem is collected and thrown as ONE ConfigurationError; this is the only
 * place of the core that throws at the application.
 */
import { resolve as resolvePath } from 'node:path';
import type { NamedCredential } from '../credential/named.js';
import { ConfigurationError } from '../errors.js';
import type { StreamSchema } from '../schema/preflight.js';
import type {
  DeliveryFailure,
  IngestionOptions,
  ResolvedConfig,
  ResolvedShard,
  TokenCredential,
} from '../types.js';
import { auth } from './auth.js';
import { closestKey } from './closest-key.js';
import { columnNameIssue } from './columns.js';
import { audienceIssue } from './destination.js';
import { resolveShards } from './destinations.js';
import {
  DEFAULT_AUDIENCE,
  ENV_VARS,
  OPTION_KEYS,
  parseBoolean,
  SPOOL_MAX_RETRY_TIME_MS,
} from './option-table.js';
import { Reader } from './reader.js';
import { fieldColumnsOf, streamSchemaOf } from './record-options.js';

export type { EnvOptionKey } from './option-table.js';
export { ENV_VARS };

/** The validated configuration plus the non-data parts of the options (never printed). */
export interface ResolvedSettings {
  readonly config: ResolvedConfig;
  /** The explicit credential, when one was given. */
  readonly credential?: TokenCredential;
  /** The static token (option or environment), when `config.auth` is `'token'`. */
  readonly token?: string;
  /** The built-in credential, when `config.auth` is `'built-in'` (@azure/identity absent). */
  readonly builtIn?: NamedCredential;
  /** The stream's declared columns from `dcrFile`, for the schema pre-flight. */
  readonly schema?: StreamSchema;
  readonly onError?: (failure: DeliveryFailure) => void;
  readonly warn?: (line: string) => void;
}

/** The audience without trailing slashes. */
function audience(r: Reader): string {
  const raw = r.raw('audience');
  const text = r.string('audience', raw);
  if (text === undefined) return DEFAULT_AUDIENCE;
  const issue = audienceIssue(text);
  if (issue) r.report('audience', raw, issue);
  return issue ? DEFAULT_AUDIENCE : text.replace(/\/+$/, '');
}

/** `true` → 'RecordId', a string → that column name (validated), `false`/unset → undefined. */
function recordIdColumn(r: Reader): string | undefined {
  const raw = r.raw('recordId');
  if (raw === undefined) return undefined;
  const b = parseBoolean(raw.value);
  if (b !== undefined) return b ? 'RecordId' : undefined;
  if (typeof raw.value !== 'string') {
    r.report('recordId', raw, {
      problem: 'is not a boolean or a column name',
      fix: 'use true, false or a column name',
    });
    return undefined;
  }
  const name = raw.value.trim();
  const issue = columnNameIssue(name);
  if (issue) r.report('recordId', raw, issue);
  return issue ? undefined : name;
}

function userAgent(r: Reader): string | undefined {
  const raw = r.raw('userAgent');
  const ua = r.string('userAgent', raw);
  if (ua !== undefined && (!/^[\x20-\x7e]+$/.test(ua) || ua.length > 512)) {
    r.report('userAgent', raw, {
      problem: 'contains non-ASCII or control characters (or is over 512 characters)',
      fix: 'use product tokens like my-app/1.2.0',
    });
    return undefined;
  }
  return ua;
}

/** The spool folder, absolute (relative to the working directory), or undefined. */
function spoolDir(r: Reader): string | undefined {
  const raw = r.raw('spoolDir');
  const dir = r.string('spoolDir', raw);
  if (dir === undefined) return undefined;
  if (dir.includes('\0')) {
    r.report('spoolDir', raw, {
      problem: 'contains a NUL character',
      fix: 'give the path of a folder on a local disk',
    });
    return undefined;
  }
  return resolvePath(dir);
}

function unknownKeys(r: Reader): void {
  for (const key of Object.keys(r.options)) {
    if (OPTION_KEYS.includes(key)) continue;
    const near = closestKey(key);
    // The value is not shown: a mistyped `tokn` would otherwise print a secret.
    r.report(key, undefined, {
      problem: 'is not a known option',
      fix: near ? `did you mean "${near}"?` : 'remove it (see IngestionOptions for the list)',
    });
  }
}

function numbers(r: Reader, spooled: boolean) {
  const n = {
    maxBatchBytes: r.integer('maxBatchBytes'),
    maxBatchRecords: r.integer('maxBatchRecords'),
    flushIntervalMs: r.integer('flushIntervalMs'),
    maxConcurrency: r.integer('maxConcurrency'),
    maxRetries: r.optionalInteger('maxRetries'),
    maxRetryTimeMs:
      spooled && r.raw('maxRetryTimeMs') === undefined
        ? SPOOL_MAX_RETRY_TIME_MS
        : r.integer('maxRetryTimeMs'),
    retryBaseMs: r.integer('retryBaseMs'),
    retryMaxMs: r.integer('retryMaxMs'),
    requestTimeoutMs: r.integer('requestTimeoutMs'),
    tokenTimeoutMs: r.integer('tokenTimeoutMs'),
    closeTimeoutMs: r.integer('closeTimeoutMs'),
    maxBufferBytes: r.integer('maxBufferBytes'),
    gzipLevel: r.integer('gzipLevel'),
    maxDepth: r.integer('maxDepth'),
    warningIntervalMs: r.integer('warningIntervalMs'),
    spoolMaxBytes: r.integer('spoolMaxBytes'),
  };
  if (n.retryBaseMs > n.retryMaxMs) {
    r.report('retryBaseMs', r.raw('retryBaseMs'), {
      problem: `is greater than retryMaxMs (${n.retryMaxMs})`,
      fix: 'make retryBaseMs at most retryMaxMs',
    });
  }
  return n;
}

/**
 * Validates and normalises the options (explicit option, then `env`, then the default).
 * @throws ConfigurationError listing every problem found.
 */
export function resolveConfig(
  options: IngestionOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedSettings {
  if (options === null || typeof options !== 'object') {
    throw new ConfigurationError([
      { option: 'options', problem: 'is not an object', fix: 'pass an options object' },
    ]);
  }
  const r = new Reader(options as Readonly<Record<string, unknown>>, env);
  unknownKeys(r);
  const shards = resolveShards(r);
  const first = shards[0] as ResolvedShard;
  const aud = audience(r);
  const a = auth(r);
  const spool = spoolDir(r);
  const recordId = recordIdColumn(r);
  const schema = streamSchemaOf(r, shards);
  const config: ResolvedConfig = Object.freeze({
    url: first.url,
    endpoint: first.endpoint,
    ruleId: first.ruleId,
    streamName: first.streamName,
    shards: Object.freeze(shards),
    audience: aud,
    scope: `${aud}/.default`,
    apiVersion: first.apiVersion,
    auth: a.auth,
    ...numbers(r, spool !== undefined),
    overflow: r.choice('overflow', ['drop-oldest', 'drop-newest'] as const, 'drop-oldest'),
    recordIdColumn: recordId,
    fieldColumns: fieldColumnsOf(r, recordId),
    dcrFile: schema?.file,
    warnings: r.boolean('warnings', true),
    userAgent: userAgent(r),
    spoolDir: spool,
  });
  const onError = r.callback<ResolvedSettings['onError']>('onError');
  const warn = r.callback<ResolvedSettings['warn']>('warn');
  if (r.problems.length > 0) throw new ConfigurationError(r.problems);
  return {
    config,
    ...(a.credential ? { credential: a.credential } : {}),
    ...(a.token ? { token: a.token } : {}),
    ...(a.builtIn ? { builtIn: a.builtIn } : {}),
    ...(schema ? { schema } : {}),
    ...(onError ? { onError } : {}),
    ...(warn ? { warn } : {}),
  };
}
