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
  TokenCredential,
} from '../types.js';
import { auth } from './auth.js';
import { closestKey } from './closest-key.js';
import { columnNameIssue } from './columns.js';
import {
  apiVersionIssue,
  audienceIssue,
  normaliseEndpoint,
  parseStreamUrl,
  ruleIdIssue,
  type StreamUrlParts,
  streamIssue,
} from './destination.js';
import {
  DEFAULT_API_VERSION,
  DEFAULT_AUDIENCE,
  ENV_VARS,
  OPTION_KEYS,
  parseBoolean,
  SPOOL_MAX_RETRY_TIME_MS,
} from './option-table.js';
import { type Raw, Reader, type Source } from './reader.js';
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

type PartKey = 'endpoint' | 'ruleId' | 'streamName' | 'apiVersion';
const LEVELS: readonly Source[] = ['option', 'env'];

interface Destination {
  endpoint?: string;
  ruleId?: string;
  streamName?: string;
  apiVersion?: string;
}

/** The parts carried by `url` at each level (explicit, environment). */
function urlParts(r: Reader): Partial<Record<Source, StreamUrlParts>> {
  const out: Partial<Record<Source, StreamUrlParts>> = {};
  for (const level of LEVELS) {
    const raw = r.at(level, 'url');
    const text = r.string('url', raw);
    if (text === undefined) continue;
    const { parts, issue } = parseStreamUrl(text);
    if (issue) r.report('url', raw, issue);
    else if (parts) out[level] = parts;
  }
  return out;
}

/** One part's own value, validated (the endpoint normalised). */
function ownPart(r: Reader, key: PartKey, raw: Raw): string | undefined {
  const text = r.string(key, raw);
  if (text === undefined || key !== 'endpoint') return text;
  const { endpoint, issue } = normaliseEndpoint(text);
  if (issue) r.report(key, raw, issue);
  return endpoint;
}

/**
 * Each part from the highest level that has it. At one level, a part given both on its own and
 * inside `url` must agree; across levels the explicit option simply wins (so an environment URL
 * can be narrowed by an explicit `streamName`).
 */
function pickPart(
  r: Reader,
  key: PartKey,
  fromUrl: Partial<Record<Source, StreamUrlParts>>,
): { value?: string; origin?: 'url' | PartKey; raw?: Raw } {
  for (const level of LEVELS) {
    const raw = r.at(level, key);
    const own = raw === undefined ? undefined : ownPart(r, key, raw);
    const inUrl = fromUrl[level]?.[key];
    const same = key === 'endpoint' ? own?.toLowerCase() === inUrl?.toLowerCase() : own === inUrl;
    if (own !== undefined && inUrl !== undefined && !same) {
      r.report(key, raw, {
        problem: `disagrees with the ${key} inside url (${JSON.stringify(inUrl)})`,
        fix: `give either url or ${key}, or make them agree`,
      });
    }
    if (own !== undefined) return { value: own, origin: key, ...(raw ? { raw } : {}) };
    if (raw !== undefined) return {}; // invalid and reported
    if (inUrl !== undefined) return { value: inUrl, origin: 'url', raw: r.at(level, 'url')! };
  }
  return {};
}

const MISSING_FIX = {
  endpoint: 'set endpoint (the DCE or the DCR logs-ingestion endpoint, https://…), or url',
  ruleId: 'set ruleId (the DCR immutable id, dcr-…), or url',
  streamName: 'set streamName (e.g. Custom-AppLogs), or url',
} as const;

const CHECKS = { ruleId: ruleIdIssue, streamName: streamIssue, apiVersion: apiVersionIssue };

function destination(r: Reader): Destination {
  const before = r.problems.length;
  const fromUrl = urlParts(r);
  const urlBroken = r.problems.length > before;
  const out: Destination = {};
  for (const key of ['endpoint', 'ruleId', 'streamName', 'apiVersion'] as const) {
    const { value, origin, raw } = pickPart(r, key, fromUrl);
    if (value === undefined) {
      const unreported = r.raw(key) === undefined && !urlBroken;
      if (key !== 'apiVersion' && unreported) {
        r.report(key, undefined, { problem: 'is missing', fix: MISSING_FIX[key] });
      }
      continue;
    }
    const issue = key === 'endpoint' ? undefined : CHECKS[key](value);
    if (issue && origin) {
      const prefix = origin === 'url' ? `its ${key} ${JSON.stringify(value)} ` : '';
      r.report(origin, raw, { problem: prefix + issue.problem, fix: issue.fix });
      continue;
    }
    out[key] = value;
  }
  return out;
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

function streamUrl(d: Required<Destination>): string {
  const rule = encodeURIComponent(d.ruleId);
  const stream = encodeURIComponent(d.streamName);
  const version = encodeURIComponent(d.apiVersion);
  return `${d.endpoint}/dataCollectionRules/${rule}/streams/${stream}?api-version=${version}`;
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
  const d = destination(r);
  const aud = audience(r);
  const a = auth(r);
  const spool = spoolDir(r);
  const recordId = recordIdColumn(r);
  const schema = streamSchemaOf(r, d.ruleId ?? '', d.streamName ?? '');
  const config: ResolvedConfig = Object.freeze({
    url:
      d.endpoint && d.ruleId && d.streamName
        ? streamUrl({ apiVersion: DEFAULT_API_VERSION, ...d } as Required<Destination>)
        : '',
    endpoint: d.endpoint ?? '',
    ruleId: d.ruleId ?? '',
    streamName: d.streamName ?? '',
    audience: aud,
    scope: `${aud}/.default`,
    apiVersion: d.apiVersion ?? DEFAULT_API_VERSION,
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
