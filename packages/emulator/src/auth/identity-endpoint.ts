/**
 * The managed-identity token endpoint of App Service / Azure Functions
 * (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`, api-version 2019-08-01), as MSAL's `AppService` source
 * (behind @azure/identity's ManagedIdentityCredential and DefaultAzureCredential) calls it:
 *
 *   GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://monitor.azure.com
 *   X-IDENTITY-HEADER: {IDENTITY_HEADER}
 *   → 200 {"access_token","expires_on" (epoch seconds),"resource","token_type":"Bearer","client_id"}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/answers.js';
import type { State } from '../state.js';
import { EMULATOR_CLIENT_ID } from './jwt.js';

/** Path of the endpoint on the emulator's server. */
export const IDENTITY_PATH = '/msi/token';

function identityError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
) {
  sendJson(req, res, status, { error, error_description: description });
}

/** Why a token request is refused, or undefined when it is fine. */
function problem(state: State, req: IncomingMessage, url: URL): [number, string] | undefined {
  if (req.method !== 'GET') return [405, 'Use GET.'];
  if (req.headers['x-identity-header'] !== state.identityHeader) {
    return [401, 'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.'];
  }
  const version = url.searchParams.get('api-version');
  if (version !== '2019-08-01') {
    return [400, `api-version must be 2019-08-01, got ${JSON.stringify(version)}.`];
  }
  if (!url.searchParams.get('resource')) return [400, 'The resource query parameter is required.'];
  return undefined;
}

/** Answer one token request. Any resource is issued (a wrong one is then refused by ingestion). */
export function handleIdentity(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): void {
  const refused = problem(state, req, url);
  if (refused) {
    identityError(req, res, refused[0], 'invalid_request', refused[1]);
    return;
  }
  const resource = url.searchParams.get('resource') ?? '';
  const { token, expiresOn } = state.issueToken(
    resource.replace(/\/\.default$/, ''),
    state.tokenLifetimeSec,
  );
  sendJson(req, res, 200, {
    access_token: token,
    expires_on: String(expiresOn),
    resource,
    token_type: 'Bearer',
    client_id: url.searchParams.get('client_id') ?? EMULATOR_CLIENT_ID,
  });
}
