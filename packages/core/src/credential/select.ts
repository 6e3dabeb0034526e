/**
 * The built-in credential, used when no `credential` or `token` is given and @azure/identity is
 * not installed. Picked once, at construction, from the environment alone: the first flow
 * whose variables are all set, in this order (the places the transports run):
 *
 *   1. App Service / Functions / Container Apps   IDENTITY_ENDPOINT + IDENTITY_HEADER
 *   2. workload identity (AKS)                    AZURE_FEDERATED_TOKEN_FILE + AZURE_CLIENT_ID
 *                                                 + AZURE_TENANT_ID
 *   3. service principal secret                   AZURE_CLIENT_SECRET + AZURE_CLIENT_ID
 *                                                 + AZURE_TENANT_ID
 *   4. VM / scale set instance metadata (IMDS)    AZURE_LOGS_INGESTION_IMDS_ENDPOINT, or an
 *                                                 Azure VM detected (azure-host.ts)
 *
 * (AZURE_CLIENT_ID also picks a user-assigned identity in 1 and 4; AZURE_AUTHORITY_HOST the
 * Entra ID host of 2 and 3.) Unlike DefaultAzureCredential's chain, a flow that fails at run
 * time does not fall through to the next: the one picked is named in every failure, and
 * nothing is tried that the environment did not ask for. When no flow applies, one
 * configuration problem says what to do.
 */

import { parseServiceUrl } from '../config/destination.js';
import type { ConfigProblem } from '../errors.js';
import { appServiceCredential } from './app-service.js';
import { onAzureVm } from './azure-host.js';
import { clientSecretCredential } from './client-secret.js';
import { DEFAULT_AUTHORITY_HOST, type EntraApp } from './entra.js';
import { IMDS_ORIGIN, imdsCredential } from './imds.js';
import type { NamedCredential } from './named.js';
import { workloadIdentityCredential } from './workload-identity.js';

/** The override of the IMDS origin (`http://169.254.169.254`). */
export const IMDS_ENDPOINT_VAR = 'AZURE_LOGS_INGESTION_IMDS_ENDPOINT';

type Env = Readonly<Record<string, string | undefined>>;

export interface Selection {
  /** The credential picked, when one applies and its variables are valid. */
  readonly credential?: NamedCredential;
  /** What is wrong: invalid variables of the flow picked, or that no flow applies. */
  readonly problems: readonly ConfigProblem[];
}

/** The host facts the selection depends on; a parameter so tests can set them. */
export interface SelectionHost {
  azureVm(): boolean;
}

const SYSTEM_HOST: SelectionHost = { azureVm: onAzureVm };

/** A variable's value, trimmed; blank counts as unset (as for the AZURE_LOGS_INGESTION_* ones). */
function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function envProblem(name: string, value: string | undefined, problem: string, fix: string) {
  const p: ConfigProblem = { option: 'credential', envVar: name, problem, fix };
  return value === undefined ? p : { ...p, value, source: 'env' as const };
}

/** An http(s) URL without user info (the platform's own endpoints are plain http). */
function endpointUrl(name: string, text: string, problems: ConfigProblem[]): URL | undefined {
  try {
    const url = new URL(text);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.username === '') return url;
  } catch {
    // reported below
  }
  problems.push(envProblem(name, text, 'is not an http(s) URL', `set ${name} to an http:// URL`));
  return undefined;
}

/** Tenant ids are GUIDs or domain names (@azure/identity's check). */
const TENANT_ID = /^[0-9a-zA-Z.-]+$/;

function entraApp(env: Env, clientId: string, tenantId: string, problems: ConfigProblem[]) {
  const before = problems.length;
  if (!TENANT_ID.test(tenantId)) {
    problems.push(
      envProblem(
        'AZURE_TENANT_ID',
        tenantId,
        'is not a tenant id',
        'use the directory (tenant) id, a GUID',
      ),
    );
  }
  const host = read(env, 'AZURE_AUTHORITY_HOST') ?? DEFAULT_AUTHORITY_HOST;
  const parsed = parseServiceUrl(host, 'authority host');
  if (parsed.issue || parsed.url.search !== '') {
    const issue = parsed.issue ?? { problem: 'contains a ?query', fix: 'remove the query' };
    problems.push(envProblem('AZURE_AUTHORITY_HOST', host, issue.problem, issue.fix));
  }
  if (problems.length > before) return undefined;
  const authorityHost = host.replace(/\/+$/, '');
  return { authorityHost, tenantId, clientId } satisfies EntraApp;
}

/** Flows whose variables are only partly set, or that only @azure/identity supports. */
function notes(env: Env): string[] {
  const out: string[] = [];
  const missing = (names: string[]) => names.filter((n) => read(env, n) === undefined);
  for (const v of ['AZURE_FEDERATED_TOKEN_FILE', 'AZURE_CLIENT_SECRET']) {
    const lacking = missing(['AZURE_CLIENT_ID', 'AZURE_TENANT_ID']);
    if (read(env, v) !== undefined && lacking.length > 0) {
      out.push(`${v} is set without ${lacking.join(' and ')}`);
    }
  }
  if (read(env, 'IDENTITY_SERVER_THUMBPRINT') !== undefined) {
    out.push('Service Fabric managed identity needs @azure/identity');
  } else if (read(env, 'IDENTITY_ENDPOINT') !== undefined && !read(env, 'IDENTITY_HEADER')) {
    out.push('IDENTITY_ENDPOINT is set without IDENTITY_HEADER (Azure Arc needs @azure/identity)');
  }
  if (read(env, 'MSI_ENDPOINT') !== undefined) {
    out.push('MSI_ENDPOINT (Cloud Shell, Azure Machine Learning) needs @azure/identity');
  }
  if (read(env, 'AZURE_CLIENT_CERTIFICATE_PATH') !== undefined) {
    out.push('a client certificate (AZURE_CLIENT_CERTIFICATE_PATH) needs @azure/identity');
  }
  return out;
}

/** The one problem when nothing applies. */
function nothingApplies(env: Env): ConfigProblem {
  const found = notes(env);
  return {
    option: 'credential',
    problem:
      'is not given, @azure/identity is not installed, and no built-in credential applies ' +
      '(IDENTITY_ENDPOINT + IDENTITY_HEADER, AZURE_FEDERATED_TOKEN_FILE or AZURE_CLIENT_SECRET ' +
      `with AZURE_CLIENT_ID + AZURE_TENANT_ID, ${IMDS_ENDPOINT_VAR}, or an Azure VM)` +
      (found.length > 0 ? `; ${found.join('; ')}` : ''),
    fix:
      'install @azure/identity (npm i @azure/identity) for the full chain with Azure CLI and ' +
      'developer logins, or pass a credential, or set the variables of one built-in flow',
  };
}

/** The built-in credential for `env` (see the order above), or the problems. */
export function selectBuiltIn(env: Env, host: SelectionHost = SYSTEM_HOST): Selection {
  const problems: ConfigProblem[] = [];
  const clientId = read(env, 'AZURE_CLIENT_ID');
  const tenantId = read(env, 'AZURE_TENANT_ID');
  const done = (credential: NamedCredential | undefined): Selection =>
    credential && problems.length === 0 ? { credential, problems } : { problems };

  const endpoint = read(env, 'IDENTITY_ENDPOINT');
  const header = read(env, 'IDENTITY_HEADER');
  if (endpoint && header && !read(env, 'IDENTITY_SERVER_THUMBPRINT')) {
    const url = endpointUrl('IDENTITY_ENDPOINT', endpoint, problems);
    return done(url && appServiceCredential(url, header, clientId));
  }
  const tokenFile = read(env, 'AZURE_FEDERATED_TOKEN_FILE');
  if (tokenFile && clientId && tenantId) {
    const app = entraApp(env, clientId, tenantId, problems);
    return done(app && workloadIdentityCredential(app, tokenFile));
  }
  const secret = env.AZURE_CLIENT_SECRET;
  if (secret?.trim() && clientId && tenantId) {
    const app = entraApp(env, clientId, tenantId, problems);
    return done(app && clientSecretCredential(app, secret));
  }
  const imds = read(env, IMDS_ENDPOINT_VAR);
  if (imds) {
    const url = endpointUrl(IMDS_ENDPOINT_VAR, imds, problems);
    return done(url && imdsCredential(url, clientId));
  }
  if (host.azureVm()) return done(imdsCredential(new URL(IMDS_ORIGIN), clientId));
  return { problems: [nothingApplies(env)] };
}
