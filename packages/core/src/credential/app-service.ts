/**
 * Managed identity on App Service, Azure Functions and Container Apps: the platform sets
 * IDENTITY_ENDPOINT (a local URL) and IDENTITY_HEADER (a secret rotated by the platform), and
 * the app asks (Microsoft Learn, "Managed identities for App Service and Azure Functions",
 * REST endpoint reference; MSAL's AppService source):
 *
 *   GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https://monitor.azure.com[&client_id=…]
 *   X-IDENTITY-HEADER: {IDENTITY_HEADER}
 *   → 200 {"access_token","expires_on" (epoch seconds),"resource","token_type","client_id"}
 *
 * `client_id` selects a user-assigned identity (AZURE_CLIENT_ID, as DefaultAzureCredential
 * reads it); without it the system-assigned identity answers.
 */
import { ManagedIdentityCredential } from './managed-identity.js';
import type { NamedCredential } from './named.js';

export const APP_SERVICE_API_VERSION = '2019-08-01';

export function appServiceCredential(
  endpoint: URL,
  identityHeader: string,
  clientId: string | undefined,
): NamedCredential {
  return new ManagedIdentityCredential({
    name: 'ManagedIdentity (App Service)',
    url: endpoint,
    apiVersion: APP_SERVICE_API_VERSION,
    header: ['x-identity-header', identityHeader],
    clientId,
  });
}
