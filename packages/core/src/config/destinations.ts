/**
 * Where the records go: the endpoint, rule id, stream name and api-version, from the parts given
 * on their own or inside a whole stream URL, explicit options first, then the environment.
 */
import {
  apiVersionIssue,
  normaliseEndpoint,
  parseStreamUrl,
  ruleIdIssue,
  type StreamUrlParts,
  streamIssue,
} from './destination.js';
import type { Raw, Reader, Source } from './reader.js';

type PartKey = 'endpoint' | 'ruleId' | 'streamName' | 'apiVersion';
const LEVELS: readonly Source[] = ['option', 'env'];

export interface Destination {
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

export function destination(r: Reader): Destination {
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

export function streamUrl(d: Required<Destination>): string {
  const rule = encodeURIComponent(d.ruleId);
  const stream = encodeURIComponent(d.streamName);
  const version = encodeURIComponent(d.apiVersion);
  return `${d.endpoint}/dataCollectionRules/${rule}/streams/${stream}?api-version=${version}`;
}
