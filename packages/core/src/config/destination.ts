/**
 * Checks of the destination: the endpoint URL, the DCR immutable id, the stream name, or the
 * whole stream URL that carries all three. Each check returns an {@link Issue} or undefined.
 */

export interface Issue {
  readonly problem: string;
  readonly fix: string;
}

export interface StreamUrlParts {
  readonly endpoint: string;
  readonly ruleId: string;
  readonly streamName: string;
  readonly apiVersion?: string;
}

/** Plain http is allowed only to these: the local emulator, never a real service. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The URL text without user:password and query values other than api-version, for messages. */
export function redactUrl(text: string): string {
  return text
    .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1<redacted>@')
    .replace(/([?&])(?!api-version=)([^=&#]+)=[^&#]*/gi, '$1$2=<redacted>');
}

type Parsed = { url: URL; issue?: undefined } | { url?: undefined; issue: Issue };

/** Parses an absolute https URL (http only to loopback) without credentials or fragment. */
export function parseServiceUrl(text: string, what: string): Parsed {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return {
      issue: {
        problem: `is not a valid absolute URL`,
        fix: `give the full ${what}, starting with https://`,
      },
    };
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return {
      issue: {
        problem: `uses plain http:// to a non-loopback host (${url.hostname})`,
        fix: 'use https:// (plain http is only allowed to localhost, 127.0.0.0/8 and ::1, e.g. the local emulator)',
      },
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { issue: { problem: `has protocol ${url.protocol}`, fix: 'use an https:// URL' } };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      issue: {
        problem: 'contains user credentials',
        fix: 'remove user:password@ from the URL; authentication uses Entra ID tokens',
      },
    };
  }
  if (url.hash !== '') {
    return { issue: { problem: 'contains a #fragment', fix: 'remove the #… part' } };
  }
  return { url };
}

/** `protocol://host[:port][/path]` without a trailing slash. */
function base(url: URL, path: string): string {
  return `${url.protocol}//${url.host}${path.replace(/\/+$/, '')}`;
}

/** Validates and normalises an endpoint (no query, no `/dataCollectionRules/…` path). */
export function normaliseEndpoint(text: string): { endpoint?: string; issue?: Issue } {
  const parsed = parseServiceUrl(text, 'logs-ingestion endpoint');
  if (parsed.issue) return { issue: parsed.issue };
  const { url } = parsed;
  if (/\/dataCollectionRules\//i.test(url.pathname)) {
    return {
      issue: {
        problem: 'contains a /dataCollectionRules/… path',
        fix: 'give only the endpoint (https://<name>.<region>.ingest.monitor.azure.com), or pass the whole stream URL as `url` instead',
      },
    };
  }
  if (url.search !== '') {
    return { issue: { problem: 'contains a ?query', fix: 'remove the query from the endpoint' } };
  }
  return { endpoint: base(url, url.pathname) };
}

const STREAM_PATH = /^(.*)\/dataCollectionRules\/([^/]+)\/streams\/([^/]+)\/?$/i;

/** Splits `https://<endpoint>/dataCollectionRules/<id>/streams/<stream>[?api-version=…]`. */
export function parseStreamUrl(text: string): { parts?: StreamUrlParts; issue?: Issue } {
  const parsed = parseServiceUrl(text, 'stream URL');
  if (parsed.issue) return { issue: parsed.issue };
  const { url } = parsed;
  const m = STREAM_PATH.exec(url.pathname);
  if (m === null) {
    return {
      issue: {
        problem: 'is not a stream URL',
        fix: 'use https://<endpoint>/dataCollectionRules/<dcr-immutable-id>/streams/<Custom-Stream>',
      },
    };
  }
  const extra = [...url.searchParams.keys()].filter((k) => k !== 'api-version');
  if (extra.length > 0) {
    return {
      issue: {
        problem: `has unexpected query parameter(s) ${extra.join(', ')}`,
        fix: 'keep only ?api-version=… (or no query)',
      },
    };
  }
  let ruleId: string;
  let streamName: string;
  try {
    ruleId = decodeURIComponent(m[2]!);
    streamName = decodeURIComponent(m[3]!);
  } catch {
    return { issue: { problem: 'has a malformed %-escape', fix: 'fix the URL encoding' } };
  }
  const apiVersion = url.searchParams.get('api-version');
  const parts = { endpoint: base(url, m[1]!), ruleId, streamName };
  return { parts: apiVersion === null ? parts : { ...parts, apiVersion } };
}

const RULE_ID = /^dcr-[0-9a-f]{32}$/;
const RULE_ID_FIX =
  'use the DCR *immutable id* ("dcr-" + 32 hex characters), shown as properties.immutableId in the JSON view of the data collection rule in the Azure portal; not its name or resource id';

export function ruleIdIssue(id: string): Issue | undefined {
  if (RULE_ID.test(id)) return undefined;
  if (RULE_ID.test(id.toLowerCase())) {
    return { problem: 'has upper-case hex digits', fix: 'write the immutable id in lower case' };
  }
  if (id.startsWith('/subscriptions/')) {
    return { problem: 'is an ARM resource id, not the immutable id', fix: RULE_ID_FIX };
  }
  return { problem: 'is not a DCR immutable id (dcr- + 32 hex characters)', fix: RULE_ID_FIX };
}

export function streamIssue(name: string): Issue | undefined {
  if (!/^(Custom|Microsoft)-/.test(name)) {
    return {
      problem: 'does not start with Custom- or Microsoft-',
      fix: 'use the input stream declared in the DCR, e.g. Custom-AppLogs (streamDeclarations), not the table name',
    };
  }
  if (/[\s/?#%]/.test(name) || name.length > 256) {
    return {
      problem: 'contains spaces, /, ?, # or % (or is too long)',
      fix: 'use the stream name exactly as declared in the DCR',
    };
  }
  return undefined;
}

/** `apiVersion` must look like `2023-01-01` or `2023-04-01-preview`. */
export function apiVersionIssue(v: string): Issue | undefined {
  if (/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(v)) return undefined;
  return {
    problem: 'is not an api-version',
    fix: 'use 2023-01-01 (the stable version) or leave it unset',
  };
}

/** The audience is an https URL; the scope is `<audience>/.default`. */
export function audienceIssue(text: string): Issue | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { problem: 'is not a URL', fix: 'use https://monitor.azure.com (or .us / .cn)' };
  }
  if (url.protocol !== 'https:') {
    return { problem: 'is not an https URL', fix: 'use https://monitor.azure.com (or .us / .cn)' };
  }
  if (/\/\.default\/?$/.test(url.pathname)) {
    return {
      problem: 'ends with /.default (that is the scope, not the audience)',
      fix: 'give the audience without /.default, e.g. https://monitor.azure.com',
    };
  }
  return undefined;
}
