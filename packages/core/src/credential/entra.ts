/**
 * The Microsoft Entra ID token endpoint, client credentials grant: what a service principal
 * with a secret and a workload identity with a federated token both call (Microsoft Learn,
 * "Microsoft identity platform and the OAuth 2.0 client credentials flow"; MSAL's
 * ClientCredentialClient behind @azure/identity's ClientSecretCredential and
 * ClientAssertionCredential):
 *
 *   POST {authority host}/{tenant}/oauth2/v2.0/token
 *   Content-Type: application/x-www-form-urlencoded
 *   client_id=…&scope=https://monitor.azure.com/.default&grant_type=client_credentials
 *   &client_secret=…                                           (a service principal's secret)
 *   &client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
 *   &client_assertion=…                                        (the federated token)
 *   → 200 {"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token"}
 *   → 400/401 {"error","error_description":"AADSTS…: …","error_codes",…}
 */
import type { AccessToken } from '../types.js';
import { accessTokenFrom } from './answer.js';
import { sendTokenRequest } from './http.js';
import type { NamedCredential } from './named.js';

/** The public cloud's authority host; AZURE_AUTHORITY_HOST replaces it. */
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Where a client authenticates: authority host (no trailing slash), tenant, client id. */
export interface EntraApp {
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
}

/** How the client proves itself: a secret, or a client assertion (the federated token). */
export type ClientProof = { readonly secret: string } | { readonly assertion: string };

/** One client-credentials token request. */
async function clientCredentialsToken(
  name: string,
  app: EntraApp,
  proof: ClientProof,
  scopes: string | string[],
  signal: AbortSignal | undefined,
): Promise<AccessToken> {
  const scope = Array.isArray(scopes) ? scopes.join(' ') : scopes;
  const url = new URL(`${app.authorityHost}/${encodeURIComponent(app.tenantId)}/oauth2/v2.0/token`);
  const form: Record<string, string> = {
    client_id: app.clientId,
    scope,
    grant_type: 'client_credentials',
  };
  let secret: string;
  if ('secret' in proof) {
    form.client_secret = secret = proof.secret;
  } else {
    form.client_assertion_type = JWT_BEARER;
    form.client_assertion = secret = proof.assertion;
  }
  const requestedAt = Date.now();
  const answer = await sendTokenRequest({ name, url, form, signal });
  return accessTokenFrom(name, answer, requestedAt, [secret]);
}

/** An app that gets its tokens with the client credentials grant; `proof` is asked each time. */
export class ClientCredentialsCredential implements NamedCredential {
  readonly credentialName: string;
  readonly #app: EntraApp;
  readonly #proof: () => Promise<ClientProof>;

  constructor(name: string, app: EntraApp, proof: () => Promise<ClientProof>) {
    this.credentialName = name;
    this.#app = app;
    this.#proof = proof;
  }

  async getToken(
    scopes: string | string[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<AccessToken> {
    const proof = await this.#proof();
    return clientCredentialsToken(
      this.credentialName,
      this.#app,
      proof,
      scopes,
      options?.abortSignal,
    );
  }
}
