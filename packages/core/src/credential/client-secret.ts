/**
 * A service principal with a client secret: AZURE_TENANT_ID, AZURE_CLIENT_ID and
 * AZURE_CLIENT_SECRET, the variables @azure/identity's EnvironmentCredential reads, exchanged
 * at the Entra ID token endpoint (see entra.ts).
 */
import { ClientCredentialsCredential, type EntraApp } from './entra.js';
import type { NamedCredential } from './named.js';

export function clientSecretCredential(app: EntraApp, secret: string): NamedCredential {
  const proof = { secret };
  return new ClientCredentialsCredential('ClientSecret', app, async () => proof);
}
