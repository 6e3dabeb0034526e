/**
 * The shape both managed-identity endpoints share (App Service's and IMDS): a GET with
 * `api-version`, `resource` and, for a user-assigned identity, `client_id`, plus one header
 * proving the caller is local. The protocol files (app-service.ts, imds.ts) say which.
 */
import type { AccessToken } from '../types.js';
import { accessTokenFrom, resourceOf } from './answer.js';
import { sendTokenRequest } from './http.js';
import type { NamedCredential } from './named.js';

export interface ManagedIdentityEndpoint {
  readonly name: string;
  /** The token URL without query. */
  readonly url: URL;
  readonly apiVersion: string;
  /** The header proving locality; its value is kept out of every message. */
  readonly header: readonly [name: string, value: string];
  /** A user-assigned identity's client id (AZURE_CLIENT_ID), or the system-assigned one. */
  readonly clientId: string | undefined;
}

export class ManagedIdentityCredential implements NamedCredential {
  readonly credentialName: string;
  readonly #endpoint: ManagedIdentityEndpoint;

  constructor(endpoint: ManagedIdentityEndpoint) {
    this.credentialName = endpoint.name;
    this.#endpoint = endpoint;
  }

  async getToken(
    scopes: string | string[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<AccessToken> {
    const { url: base, apiVersion, header, clientId } = this.#endpoint;
    const url = new URL(base);
    url.searchParams.set('api-version', apiVersion);
    url.searchParams.set('resource', resourceOf(scopes));
    if (clientId) url.searchParams.set('client_id', clientId);
    const requestedAt = Date.now();
    const answer = await sendTokenRequest({
      name: this.credentialName,
      url,
      headers: { [header[0]]: header[1] },
      signal: options?.abortSignal,
    });
    return accessTokenFrom(this.credentialName, answer, requestedAt, [header[1]]);
  }
}
