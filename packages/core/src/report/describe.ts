/**
 * Plain words for a failed attempt, shared by the final error, the outage warning and the
 * retry warning: what happened (with the host and the system's error code) and what to check.
 * A bare `ECONNRESET` tells a user nothing; "connection to x.ingest.monitor.azure.com:443 reset
 * (ECONNRESET)" with a hint does.
 */
import type { Outcome } from '../delivery/attempt.js';
import { describeServiceError, hintFor } from '../delivery/service-answer.js';
import { redact } from './redact.js';

export interface FailureText {
  /** What happened, e.g. `connection refused by host:443 (ECONNREFUSED)`. */
  readonly what: string;
  /** What to check, when we know. */
  readonly hint?: string;
}

const CLIP = 300;

const RESET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const CONNECT_TIMEOUT = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN']);
const NO_ANSWER = new Set(['TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const TLS = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_)/;

const HINTS = {
  dns: "check the endpoint's host name (the DCE, or the DCR's own logs-ingestion endpoint, in the DCR's region) and DNS or private-link settings",
  refused:
    'nothing accepts connections there: check the endpoint URL and port, and any proxy or firewall',
  reset:
    'a proxy, firewall or load balancer closed the connection; check outbound HTTPS to the endpoint',
  connect:
    'check that outbound HTTPS (port 443) to the endpoint is allowed (firewall, network security group, proxy)',
  noAnswer:
    'the connection was accepted but no answer came: check proxies on the way, or raise requestTimeoutMs',
  tls: 'the server certificate was not accepted: behind a TLS-inspecting proxy give its CA with NODE_EXTRA_CA_CERTS; check the system clock; for the emulator with https, trust its certificate',
} as const;

/** host:port of a URL (the default port made explicit, as users see it in firewall rules). */
export function hostPort(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return 'the endpoint';
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'the endpoint';
  }
}

/** The message of an error (and of its cause), redacted and clipped. */
export function causeText(error: unknown): string | undefined {
  const parts: string[] = [];
  let e = error as { message?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; e && depth < 3; depth++) {
    if (typeof e.message === 'string' && e.message !== '' && !parts.includes(e.message)) {
      parts.push(e.message);
    }
    e = e.cause as typeof e;
  }
  if (parts.length === 0) return undefined;
  const text = redact(parts.join(': ').replace(/\s+/g, ' ').trim());
  return text.length > CLIP ? `${text.slice(0, CLIP)}…` : text;
}

/** Describes a failure without an HTTP answer: a network error, a timeout or the credential. */
export function describeTransport(
  code: string,
  url: string,
  cause: unknown,
  credentialName?: string,
): FailureText {
  const at = hostPort(url);
  if (code === 'CREDENTIAL') return describeCredential(cause, credentialName);
  if (code === 'ENOTFOUND') {
    return { what: `the host name ${hostOf(url)} was not found (DNS: ENOTFOUND)`, hint: HINTS.dns };
  }
  if (code === 'EAI_AGAIN') {
    return { what: `DNS lookup of ${hostOf(url)} failed (EAI_AGAIN)`, hint: HINTS.dns };
  }
  if (code === 'ECONNREFUSED') {
    return { what: `connection refused by ${at} (ECONNREFUSED)`, hint: HINTS.refused };
  }
  if (RESET.has(code)) return { what: `connection to ${at} reset (${code})`, hint: HINTS.reset };
  if (CONNECT_TIMEOUT.has(code)) {
    return { what: `could not connect to ${at} in time (${code})`, hint: HINTS.connect };
  }
  if (UNREACHABLE.has(code)) return { what: `${at} is unreachable (${code})`, hint: HINTS.connect };
  if (NO_ANSWER.has(code)) {
    return { what: `no answer from ${at} in time (${code})`, hint: HINTS.noAnswer };
  }
  if (TLS.test(code)) {
    const detail = causeText(cause);
    return {
      what: `TLS with ${at} failed (${code}${detail ? `: ${detail}` : ''})`,
      hint: HINTS.tls,
    };
  }
  if (code === 'ABORTED') return { what: 'the request was aborted (close() or destroy())' };
  const detail = causeText(cause);
  return { what: `the request to ${at} failed (${code}${detail ? `: ${detail}` : ''})` };
}

/** What to check, by the credential that failed (the built-in ones by their names). */
const CREDENTIAL_HINTS: Readonly<Record<string, string>> = {
  DefaultAzureCredential:
    'DefaultAzureCredential found no working credential: in Azure give the app a managed identity (or workload identity on AKS); elsewhere set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or sign in with az login',
  'ManagedIdentity (App Service)':
    'check that the app has a managed identity (the platform sets IDENTITY_ENDPOINT and IDENTITY_HEADER) and, for a user-assigned one, that AZURE_CLIENT_ID is its client id',
  IMDS: 'check that the VM or scale set has a managed identity and that 169.254.169.254 is reachable from here; for a user-assigned one, AZURE_CLIENT_ID',
  WorkloadIdentity:
    'check the federated credential of the app registration or managed identity (issuer and subject of the service account), AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID and AZURE_TENANT_ID',
  ClientSecret:
    'check AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (an expired secret is a common cause)',
};

function describeCredential(cause: unknown, credentialName: string | undefined): FailureText {
  const name = credentialName ?? 'the credential';
  const detail = causeText(cause) ?? `${name} could not get a token`;
  const hint =
    CREDENTIAL_HINTS[name] ??
    `check ${name}: its settings, and that this machine can reach Microsoft Entra ID (login.microsoftonline.com)`;
  return { what: detail, hint };
}

/**
 * Describes any failed attempt, with an HTTP answer or without. An answer is described with the
 * service's error code and message (`HTTP 503 (ServiceUnavailable: …)`) and the status's hint.
 */
export function describeOutcome(outcome: Outcome): FailureText {
  const answer = outcome.answer;
  if (answer) {
    const d = describeServiceError(answer.status, answer.headers, answer.body);
    const detail = [d.serviceCode, d.serviceMessage].filter(Boolean).join(': ');
    const hint = hintFor(answer.status, d.serviceCode);
    return {
      what: `HTTP ${answer.status}${detail ? ` (${detail})` : ''}`,
      ...(hint ? { hint } : {}),
    };
  }
  if (outcome.status !== undefined) return { what: `HTTP ${outcome.status}` };
  // A credential failure names its credential (see TokenUnavailableError).
  const name = (outcome.cause as { credentialName?: unknown } | undefined)?.credentialName;
  return describeTransport(
    outcome.errorCode ?? 'UNKNOWN',
    outcome.start.url,
    outcome.cause,
    typeof name === 'string' ? name : undefined,
  );
}

/** A duration for humans: `850 ms`, `12 s`, `10 min`, `1 h 5 min`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}
