/**
 * Where the records go: the endpoint, rule id, stream name and api-version, from the parts given
 * on their own or inside a whole stream URL, explicit options first, then the environment.
 *
 * Several rules (shards, for fleets that outgrow one rule's limits) come from one list: several
 * rule ids in `ruleId` (one endpoint and stream for all), or several whole stream URLs in `url`.
 * A list is an array or a comma-separated string (the environment variable's form):
 *
 *   ruleId: 'dcr-aaa…,dcr-bbb…'   ──> shard 0: <endpoint>/dataCollectionRules/dcr-aaa…/streams/<stream>
 *                                     shard 1: <endpoint>/dataCollectionRules/dcr-bbb…/streams/<stream>
 *
 * One value, as before sharding: one shard.
 */

import type { ResolvedShard } from '../types.js';
import {
  apiVersionIssue,
  type Issue,
  normaliseEndpoint,
  parseStreamUrl,
  ruleIdIssue,
  type StreamUrlParts,
  streamIssue,
} from './destination.js';
import { DEFAULT_API_VERSION } from './option-table.js';
import type { Raw, Reader, Source } from './reader.js';

type PartKey = 'endpoint' | 'ruleId' | 'streamName' | 'apiVersion';
const PARTS: readonly PartKey[] = ['endpoint', 'ruleId', 'streamName', 'apiVersion'];
const LEVELS: readonly Source[] = ['option', 'env'];

/** The most rules one client spreads its requests over. */
export const MAX_SHARDS = 16;

export interface Destination {
  endpoint?: string;
  ruleId?: string;
  streamName?: string;
  apiVersion?: string;
}

/** Where one part's values came from: an option on its own, or the parts of `url`. */
interface Picked {
  /** One value for every shard, or one per shard; `undefined` entries: not in that URL. */
  readonly values?: readonly (string | undefined)[];
  readonly origin?: 'url' | PartKey;
  readonly raw?: Raw;
}

const LIST_FIX = {
  url: 'give one stream URL, or several as an array or separated by commas',
  ruleId: 'give one DCR immutable id, or several as an array or separated by commas',
} as const;

/** An option that may list several values (an array, or text separated by commas). */
function list(r: Reader, key: 'url' | 'ruleId', raw: Raw | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const v = raw.value;
  const items = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : undefined;
  if (!items?.every((x) => typeof x === 'string' && x.trim() !== '')) {
    const problem =
      items === undefined ? 'is not a string or an array of strings' : 'has an empty entry';
    r.report(key, raw, { problem, fix: LIST_FIX[key] });
    return undefined;
  }
  if (items.length > MAX_SHARDS) {
    const problem = `lists ${items.length} entries (at most ${MAX_SHARDS})`;
    r.report(key, raw, { problem, fix: `spread the fleet over at most ${MAX_SHARDS} rules` });
    return undefined;
  }
  return items.map((x: string) => x.trim());
}

/** `problem` of entry `i` of a list of `n` (unprefixed for a single value). */
function entry(i: number, n: number, issue: Issue): Issue {
  return n === 1 ? issue : { problem: `entry ${i + 1}: ${issue.problem}`, fix: issue.fix };
}

/** The parts carried by `url` at each level (explicit, environment): one per URL. */
function urlParts(r: Reader): Partial<Record<Source, StreamUrlParts[]>> {
  const out: Partial<Record<Source, StreamUrlParts[]>> = {};
  for (const level of LEVELS) {
    const raw = r.at(level, 'url');
    const texts = list(r, 'url', raw);
    if (texts === undefined) continue;
    const parsed = texts.map((text, i) => {
      const { parts, issue } = parseStreamUrl(text);
      if (issue) r.report('url', raw, entry(i, texts.length, issue));
      return parts;
    });
    if (parsed.every((p) => p !== undefined)) out[level] = parsed;
  }
  return out;
}

/** One part's own values, validated (the endpoint normalised); only `ruleId` may list several. */
function ownPart(r: Reader, key: PartKey, raw: Raw): string[] | undefined {
  if (key === 'ruleId') return list(r, key, raw);
  const text = r.string(key, raw);
  if (text === undefined || key !== 'endpoint') return text === undefined ? undefined : [text];
  const { endpoint, issue } = normaliseEndpoint(text);
  if (issue) r.report(key, raw, issue);
  return endpoint === undefined ? undefined : [endpoint];
}

/**
 * Each part from the highest level that has it. At one level, a part given both on its own and
 * inside `url` must agree (and cannot be given beside several URLs); across levels the explicit
 * option simply wins (so an environment URL can be narrowed by an explicit `streamName`).
 */
function pickPart(
  r: Reader,
  key: PartKey,
  fromUrl: Partial<Record<Source, StreamUrlParts[]>>,
): Picked {
  for (const level of LEVELS) {
    const raw = r.at(level, key);
    const own = raw === undefined ? undefined : ownPart(r, key, raw);
    const inUrl = fromUrl[level]?.map((p) => p[key]);
    if (own !== undefined && inUrl !== undefined) agree(r, key, raw, own, inUrl);
    if (own !== undefined) return { values: own, origin: key, ...(raw ? { raw } : {}) };
    if (raw !== undefined) return {}; // invalid and reported
    if (inUrl !== undefined) return { values: inUrl, origin: 'url', raw: r.at(level, 'url')! };
  }
  return {};
}

/** A part given on its own and inside `url` at the same level. */
function agree(
  r: Reader,
  key: PartKey,
  raw: Raw | undefined,
  own: readonly string[],
  inUrl: readonly (string | undefined)[],
): void {
  if (inUrl.length > 1 || own.length > 1) {
    r.report(key, raw, {
      problem: 'is given beside several rules',
      fix: `give either ${key} or url, or put the ${key} inside each url`,
    });
    return;
  }
  const [a, b] = [own[0], inUrl[0]];
  const same = key === 'endpoint' ? a?.toLowerCase() === b?.toLowerCase() : a === b;
  if (b !== undefined && !same) {
    r.report(key, raw, {
      problem: `disagrees with the ${key} inside url (${JSON.stringify(b)})`,
      fix: `give either url or ${key}, or make them agree`,
    });
  }
}

const MISSING_FIX = {
  endpoint: 'set endpoint (the DCE or the DCR logs-ingestion endpoint, https://…), or url',
  ruleId: 'set ruleId (the DCR immutable id, dcr-…), or url',
  streamName: 'set streamName (e.g. Custom-AppLogs), or url',
} as const;

const CHECKS = { ruleId: ruleIdIssue, streamName: streamIssue, apiVersion: apiVersionIssue };

/** Reports each invalid value of a part; returns whether all are valid. */
function checkValues(r: Reader, key: PartKey, picked: Picked): boolean {
  if (key === 'endpoint' || !picked.values || !picked.origin) return true;
  let ok = true;
  picked.values.forEach((value, i) => {
    const issue = value === undefined ? undefined : CHECKS[key](value);
    if (!issue) return;
    ok = false;
    const prefix = picked.origin === 'url' ? `its ${key} ${JSON.stringify(value)} ` : '';
    const n = picked.values?.length ?? 1;
    r.report(
      picked.origin!,
      picked.raw,
      entry(i, n, { ...issue, problem: prefix + issue.problem }),
    );
  });
  return ok;
}

/**
 * The destinations: one per shard (one when nothing lists several), each part validated. A part
 * missing or invalid leaves it out (reported).
 */
export function destinations(r: Reader): Destination[] {
  const before = r.problems.length;
  const fromUrl = urlParts(r);
  const urlBroken = r.problems.length > before;
  const picked = new Map<PartKey, Picked>();
  for (const key of PARTS) {
    const p = pickPart(r, key, fromUrl);
    if (p.values === undefined) {
      const unreported = r.raw(key) === undefined && !urlBroken;
      if (key !== 'apiVersion' && unreported) {
        r.report(key, undefined, { problem: 'is missing', fix: MISSING_FIX[key] });
      }
      continue;
    }
    if (checkValues(r, key, p)) picked.set(key, p);
  }
  const count = Math.max(1, ...[...picked.values()].map((p) => p.values?.length ?? 1));
  const listed = [...picked.values()].filter((p) => (p.values?.length ?? 1) > 1);
  if (listed.some((p) => p.values?.length !== count)) {
    const ruleIds = picked.get('ruleId');
    r.report('ruleId', ruleIds?.raw, {
      problem: `lists ${ruleIds?.values?.length} rules while url lists another number`,
      fix: 'give the rules one way: several ruleIds with one endpoint and stream, or several whole stream URLs',
    });
    return [{}];
  }
  return Array.from({ length: count }, (_, i) => {
    const d: Destination = {};
    for (const [key, p] of picked) {
      const value = p.values?.length === 1 ? p.values[0] : p.values?.[i];
      if (value !== undefined) d[key] = value;
    }
    return d;
  });
}

function streamUrl(d: Required<Destination>): string {
  const rule = encodeURIComponent(d.ruleId);
  const stream = encodeURIComponent(d.streamName);
  const version = encodeURIComponent(d.apiVersion);
  return `${d.endpoint}/dataCollectionRules/${rule}/streams/${stream}?api-version=${version}`;
}

/**
 * The shards, each with its request URL (empty when a part is missing or invalid, reported);
 * a rule listed twice is reported.
 */
export function resolveShards(r: Reader): ResolvedShard[] {
  const shards = destinations(r).map((d): ResolvedShard => {
    const full = { apiVersion: DEFAULT_API_VERSION, ...d };
    const complete = d.endpoint && d.ruleId && d.streamName;
    return Object.freeze({
      url: complete ? streamUrl(full as Required<Destination>) : '',
      endpoint: d.endpoint ?? '',
      ruleId: d.ruleId ?? '',
      streamName: d.streamName ?? '',
      apiVersion: full.apiVersion,
    });
  });
  const seen = new Set<string>();
  for (const { url, ruleId } of shards) {
    if (url !== '' && seen.has(url)) {
      const key = Array.isArray(r.raw('url')?.value) || /,/.test(`${r.raw('url')?.value ?? ''}`);
      r.report(key ? 'url' : 'ruleId', r.raw(key ? 'url' : 'ruleId'), {
        problem: `lists the rule ${ruleId} twice (same endpoint and stream)`,
        fix: 'list each rule once',
      });
      break;
    }
    seen.add(url);
  }
  return shards;
}
