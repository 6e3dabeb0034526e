/**
 * A stand-in for the managed-identity endpoint of the Azure Instance Metadata Service (IMDS),
 * which a VM or scale set reaches at http://169.254.169.254 (Microsoft Learn, "How to use
 * managed identities for Azure resources on an Azure VM to acquire an access token"):
 *
 *   GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://monitor.azure.com
 *   Metadata: true
 *   → 200 {"access_token","refresh_token":"","expires_in","expires_on","not_before",
 *          "resource","token_type":"Bearer","client_id"}        (numbers as strings)
 *   → 400 {"error":"invalid_request","error_description":"Required metadata header not specified"}
 *
 * Clients reach it through an override of the IMDS origin: AZURE_LOGS_INGESTION_IMDS_ENDPOINT
 * for the transports' built-in credential, AZURE_POD_IDENTITY_AUTHORITY_HOST for MSAL and
 * @azure/identity (emulator `env({ identity: 'imds' })` sets both).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/answers.js';
import type { State } from '../state.js';
import { EMULATOR_CLIENT_ID } from './jwt.js';

export const IMDS_TOKEN_PATH = '/metadata/identity/oauth2/token';
/** The first api-version of the identity endpoint; later dates are accepted too. */
const FIRST_API_VERSION = '2018-02-01';

function problem(req: IncomingMessage, url: URL): [number, string, string] | undefined {
  if (req.method !== 'GET') return [405, 'invalid_request', 'Use GET.'];
  if (req.headers.metadata !== 'true') {
    return [400, 'invalid_request', 'Required metadata header not specified'];
  }
  const version = url.searchParams.get('api-version');
  if (version === null)
    return [400, 'invalid_request', 'Required query variable api-version is missing'];
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version) || version < FIRST_API_VERSION) {
    return [400, 'invalid_request', 'Invalid version'];
  }
  if (!url.searchParams.get('resource'))
    return [400, 'invalid_request', 'Required resource not specified'];
  return undefined;
}

/** Answer one IMDS token request. */
export function handleImds(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  const refused = problem(req, url);
  if (refused) {
    sendJson(req, res, refused[0], { error: refused[1], error_description: refused[2] });
    return;
  }
  const resource = url.searchParams.get('resource') ?? '';
  const lifetime = state.tokenLifetimeSec;
  const { token, expiresOn } = state.issueToken(resource.replace(/\/\.default$/, ''), lifetime);
  sendJson(req, res, 200, {
    access_token: token,
    refresh_token: '',
    expires_in: String(lifetime),
    expires_on: String(expiresOn),
    not_before: String(expiresOn - lifetime),
    resource,
    token_type: 'Bearer',
    client_id: url.searchParams.get('client_id') ?? EMULATOR_CLIENT_ID,
  });
}
