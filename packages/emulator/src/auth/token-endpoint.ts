/**
 * Microsoft Entra ID's token endpoint, client credentials grant, for the service principal
 * (client secret) and workload identity (client assertion) flows (Microsoft Learn, "Microsoft
 * identity platform and the OAuth 2.0 client credentials flow"):
 *
 *   POST /{tenant}/oauth2/v2.0/token        (AZURE_AUTHORITY_HOST points here)
 *   Content-Type: application/x-www-form-urlencoded
 *   client_id, scope (<resource>/.default), grant_type=client_credentials, and either
 *   client_secret, or client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
 *   + client_assertion (the federated token)
 *   → 200 {"token_type":"Bearer","expires_in","ext_expires_in","access_token"}
 *   → 400/401 {"error","error_description":"AADSTS…","error_codes",…}
 *
 * One app exists: EMULATOR_CLIENT_ID in EMULATOR_TENANT_ID, with the emulator's client secret
 * and a federated credential for the tokens of federated-token.ts. The access token's audience
 * is the scope without `/.default`, so a token for another resource is then refused by the
 * ingestion call, as the service does.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http/answers.js';
import { readBody } from '../http/body.js';
import type { State } from '../state.js';
import { assertionProblem } from './federated-token.js';
import { EMULATOR_CLIENT_ID, EMULATOR_TENANT_ID } from './jwt.js';

/** `/{tenant}/oauth2/v2.0/token`. */
export const TOKEN_PATH = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/;
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const FORM_LIMIT = 64 * 1024;

/** A refusal: status, OAuth error, AADSTS code (when Entra ID has a known one) and text. */
type Refusal = readonly [number, string, number | undefined, string];

function sendRefusal(
  req: IncomingMessage,
  res: ServerResponse,
  [status, error, code, text]: Refusal,
) {
  const timestamp = new Date().toISOString();
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const prefix = code === undefined ? '' : `AADSTS${code}: `;
  sendJson(req, res, status, {
    error,
    error_description: `${prefix}${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: code === undefined ? [] : [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  });
}

const missing = (name: string): Refusal => [
  400,
  'invalid_request',
  900144,
  `The request body must contain the following parameter: '${name}'.`,
];

/** Why the client is not authenticated, or undefined when its secret or assertion is good. */
function proofProblem(state: State, form: URLSearchParams): Refusal | undefined {
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    if (secret === state.clientSecret) return undefined;
    return [
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${EMULATOR_CLIENT_ID}'.`,
    ];
  }
  if (assertion === null) {
    return [
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ];
  }
  const type = form.get('client_assertion_type');
  if (type === null) return missing('client_assertion_type');
  if (type !== JWT_BEARER) {
    return [400, 'invalid_request', undefined, `client_assertion_type must be ${JWT_BEARER}.`];
  }
  const bad = assertionProblem(state.secret, assertion, state.now());
  if (!bad) return undefined;
  return [400, bad[0] === 700024 ? 'invalid_client' : 'invalid_request', bad[0], bad[1]];
}

/** Why the request is refused, or undefined when a token may be issued. */
function refusal(state: State, tenant: string, form: URLSearchParams): Refusal | undefined {
  if (tenant !== EMULATOR_TENANT_ID) {
    return [
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    ];
  }
  const grant = form.get('grant_type');
  if (grant === null) return missing('grant_type');
  if (grant !== 'client_credentials') {
    return [
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'.`,
    ];
  }
  const clientId = form.get('client_id');
  if (clientId === null) return missing('client_id');
  if (clientId !== EMULATOR_CLIENT_ID) {
    return [
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
    ];
  }
  const scope = form.get('scope');
  if (scope === null) return missing('scope');
  if (!/^\S+\/\.default$/.test(scope)) {
    return [
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ];
  }
  return proofProblem(state, form);
}

/** Answer one token request. Never throws. */
export async function handleTokenRequest(
  state: State,
  req: IncomingMessage,
  res: ServerResponse,
  tenant: string,
): Promise<void> {
  if (req.method !== 'POST') {
    sendRefusal(req, res, [
      405,
      'invalid_request',
      900561,
      'The endpoint only accepts POST requests.',
    ]);
    return;
  }
  const read = await readBody(req, { maxBytes: FORM_LIMIT });
  if (read.kind !== 'ok') {
    sendRefusal(req, res, [413, 'invalid_request', undefined, 'The request body is too large.']);
    return;
  }
  const type = String(req.headers['content-type'] ?? '');
  // Entra ID reads form fields only: any other body has none of them.
  const form = new URLSearchParams(
    type.startsWith('application/x-www-form-urlencoded') ? read.body.toString('utf8') : '',
  );
  const refused = refusal(state, tenant, form);
  if (refused) {
    sendRefusal(req, res, refused);
    return;
  }
  const audience = (form.get('scope') ?? '').slice(0, -'/.default'.length);
  const { token } = state.issueToken(audience, state.tokenLifetimeSec);
  sendJson(req, res, 200, {
    token_type: 'Bearer',
    expires_in: state.tokenLifetimeSec,
    ext_expires_in: state.tokenLifetimeSec,
    access_token: token,
  });
}
