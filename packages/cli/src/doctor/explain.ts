/**
 * A failed probe in one sentence and one fix, by what failed: the credential, the service's
 * answer (401 audience, 403 role, 404 rule, unknown stream, 413, 429, 5xx) or the connection
 * (DNS, TLS, refused, reset, timeout). The core's error carries the status, the service's code
 * and message, its own hint, and as `cause` the transport error with its system code.
 */
import { ErrorCodes, type IngestionError, type ResolvedConfig } from 'azure-ingestion-core';
import type { TokenWatch } from './token.js';

/** What went wrong, for scripts (`--json`): a stable word per kind of failure. */
export type ProblemKind =
  | 'config'
  | 'credential'
  | 'audience'
  | 'unauthorized'
  | 'forbidden'
  | 'rule-not-found'
  | 'unknown-stream'
  | 'bad-request'
  | 'too-large'
  | 'throttled'
  | 'service'
  | 'dns'
  | 'tls'
  | 'network'
  | 'timeout'
  | 'undeclared-column'
  | 'wrong-type'
  | 'failed';

export interface Problem {
  readonly kind: ProblemKind;
  /** What happened, in one sentence. */
  readonly sentence: string;
  /** What to do. */
  readonly fix: string;
}

/** What explain() knows beyond the error. */
export interface Context {
  readonly config: ResolvedConfig;
  readonly watch: TokenWatch;
  /** The streams the DCR file declares, when one was given. */
  readonly declaredStreams?: readonly string[];
  /** The DCR file's own logs-ingestion endpoint, when it has one. */
  readonly dcrEndpoint?: string;
}

const TLS = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_)/;
const RESETS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUTS = new Set([
  'TIMEOUT',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const trimSlash = (s: string) => s.replace(/\/+$/, '');

function host(config: ResolvedConfig): string {
  try {
    const url = new URL(config.endpoint);
    return url.port ? `${url.hostname}:${url.port}` : url.hostname;
  } catch {
    return config.endpoint;
  }
}

/** The transport error's system code (`ENOTFOUND`, `DEPTH_ZERO_SELF_SIGNED_CERT`, …). */
function systemCode(error: IngestionError): string | undefined {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The service's message, from the error's message (`… HTTP 403 (Code: message)`). */
function serviceText(error: IngestionError): string {
  const m = /HTTP \d+ \((.*)\)$/.exec(error.message);
  return (m?.[1] ?? error.serviceCode ?? '').replace(/\.$/, '');
}

function audience(error: IngestionError, ctx: Context): Problem {
  const expected = ctx.config.audience;
  const got = ctx.watch.claims?.audience;
  const issued = got ? `is for ${got}` : 'is for another audience';
  const fix =
    ctx.watch.name === 'StaticToken'
      ? `get a token for ${expected} (az account get-access-token --resource ${expected}), or let the credential get it.`
      : `set AZURE_LOGS_INGESTION_AUDIENCE=${expected}, or unset it for the public cloud (the scope asked is <audience>/.default; US Government: https://monitor.azure.us, China: https://monitor.azure.cn).`;
  return {
    kind: 'audience',
    sentence: `The service refused the token (401 ${error.serviceCode ?? 'InvalidAudience'}): it ${issued}, and the Logs Ingestion API takes tokens for ${expected}.`,
    fix: fix.charAt(0).toUpperCase() + fix.slice(1),
  };
}

function forbidden(ctx: Context): Problem {
  const oid = ctx.watch.claims?.objectId;
  const who = oid ? `The identity (object id ${oid})` : `The identity of ${ctx.watch.name}`;
  return {
    kind: 'forbidden',
    sentence: `${who} may not send to the data collection rule ${ctx.config.ruleId} (403): it needs the Monitoring Metrics Publisher role on that rule, and a new role assignment can take up to 30 minutes to apply.`,
    fix: `Assign the role (az role assignment create --assignee ${oid ?? '<principal id>'} --role "Monitoring Metrics Publisher" --scope <the DCR's resource id>), or wait if you just did, then run doctor again.`,
  };
}

const STREAM_WORDS = /stream/i;

function unknownStream(error: IngestionError, ctx: Context): Problem {
  const declared = ctx.declaredStreams?.length
    ? ` (the DCR file declares ${ctx.declaredStreams.join(', ')})`
    : '';
  return {
    kind: 'unknown-stream',
    sentence: `The rule ${ctx.config.ruleId} has no stream ${ctx.config.streamName} (${error.status} ${serviceText(error)}).`,
    fix: `Set AZURE_LOGS_INGESTION_STREAM to a stream the DCR declares in streamDeclarations, e.g. Custom-AppLogs${declared}; it is not the table's name.`,
  };
}

function ruleNotFound(error: IngestionError, ctx: Context): Problem {
  const dcr =
    ctx.dcrEndpoint && trimSlash(ctx.dcrEndpoint) !== trimSlash(ctx.config.endpoint)
      ? ` The DCR file's own endpoint is ${ctx.dcrEndpoint}.`
      : '';
  return {
    kind: 'rule-not-found',
    sentence: `No data collection rule ${ctx.config.ruleId} answers at ${host(ctx.config)} (404 ${serviceText(error)}).${dcr}`,
    fix: `Check AZURE_LOGS_INGESTION_RULE_ID, the DCR's immutable id (dcr-…, properties.immutableId in its JSON view; not its name), and AZURE_LOGS_INGESTION_ENDPOINT: the DCR's own logs-ingestion endpoint, or a data collection endpoint in the DCR's region.`,
  };
}

/** Failures with an HTTP answer. */
function answered(error: IngestionError, ctx: Context): Problem {
  const status = error.status!;
  const text = serviceText(error);
  if (status === 401) {
    const got = ctx.watch.claims?.audience;
    const wrong = got !== undefined && trimSlash(got) !== trimSlash(ctx.config.audience);
    if (error.serviceCode === 'InvalidAudience' || wrong) return audience(error, ctx);
    return {
      kind: 'unauthorized',
      sentence: `The service refused the token (401 ${text}).`,
      fix: 'Check that the token has not expired and comes from the tenant of the DCR; with AZURE_LOGS_INGESTION_TOKEN, get a fresh one.',
    };
  }
  if (status === 403) return forbidden(ctx);
  if ((status === 400 || status === 404) && STREAM_WORDS.test(`${error.serviceCode} ${text}`)) {
    return unknownStream(error, ctx);
  }
  if (status === 404) return ruleNotFound(error, ctx);
  if (status === 413) {
    return {
      kind: 'too-large',
      sentence: `The service refused the request as too large (413 ${text}): a request may carry at most 1,048,576 bytes, and the probe is far smaller, so something on the way limits bodies further.`,
      fix: 'Check proxies or gateways between here and the endpoint (their body limit), and keep AZURE_LOGS_INGESTION_MAX_BATCH_BYTES at or below 1048576; a single record over 1 MB must be made smaller.',
    };
  }
  if (status === 429) {
    return {
      kind: 'throttled',
      sentence: `The data collection rule ${ctx.config.ruleId} is throttled (429 ${text}): more than 12,000 requests or 2 GB per minute reach it.`,
      fix: 'Wait a minute and run doctor again; send fewer, larger batches (fewer processes, a longer flushIntervalMs), or spread the load over several DCRs.',
    };
  }
  if (status === 400) {
    return {
      kind: 'bad-request',
      sentence: `The service refused the probe record (400 ${text}).`,
      fix: error.hint ?? 'Check the stream declaration of the DCR.',
    };
  }
  if (status >= 500 || status === 408) {
    return {
      kind: 'service',
      sentence: `The service failed to answer the probe (HTTP ${status} ${text}).`,
      fix: "Try again in a few minutes (the transports retry such answers for maxRetryTimeMs, 10 minutes by default); if it lasts, check the Azure status page for Azure Monitor in the DCR's region.",
    };
  }
  return {
    kind: 'failed',
    sentence: `The service refused the probe (HTTP ${status} ${text}).`,
    fix: error.hint ?? 'See docs/TROUBLESHOOTING.md.',
  };
}

/** Failures without an answer. */
function unanswered(error: IngestionError, ctx: Context): Problem {
  const code = systemCode(error) ?? 'UNKNOWN';
  const at = host(ctx.config);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      kind: 'dns',
      sentence: `The host name ${new URL(ctx.config.endpoint).hostname} was not found (DNS ${code}).`,
      fix: "Check AZURE_LOGS_INGESTION_ENDPOINT: the DCR's own logs-ingestion endpoint (…ingest.monitor.azure.com, in its JSON view) or a data collection endpoint; and DNS or private-link settings of this network.",
    };
  }
  if (TLS.test(code)) {
    return {
      kind: 'tls',
      sentence: `The TLS handshake with ${at} failed (${code}): the server's certificate is not trusted here.`,
      fix: 'Behind a TLS-inspecting proxy, give its CA certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem; check the system clock; for the emulator with --https, trust its certificate the same way.',
    };
  }
  if (TIMEOUTS.has(code)) {
    return {
      kind: 'timeout',
      sentence: `No answer came from ${at} in time (${code}).`,
      fix: 'Check that outbound HTTPS (port 443) to the endpoint is allowed (firewall, network security group, proxy); raise AZURE_LOGS_INGESTION_REQUEST_TIMEOUT_MS on a slow network.',
    };
  }
  const what =
    code === 'ECONNREFUSED'
      ? 'refused the connection'
      : RESETS.has(code)
        ? 'closed the connection'
        : 'could not be reached';
  return {
    kind: 'network',
    sentence: `${at} ${what} (${code}).`,
    fix: error.hint
      ? error.hint.charAt(0).toUpperCase() + error.hint.slice(1)
      : 'Check the endpoint URL, and outbound HTTPS from this machine.',
  };
}

/** The problem of a probe that failed with `error`. */
export function explain(error: IngestionError, ctx: Context): Problem {
  if (error.code === ErrorCodes.CREDENTIAL) {
    // The core's message names the credential and its error: "<name> could not get a token …".
    const what = error.message.replace(/^\d+ records? not delivered: /, '').replace(/\.$/, '');
    return {
      kind: 'credential',
      sentence: `${what}.`,
      fix: error.hint
        ? error.hint.charAt(0).toUpperCase() + error.hint.slice(1)
        : "Check the credential's settings.",
    };
  }
  return error.status !== undefined ? answered(error, ctx) : unanswered(error, ctx);
}
