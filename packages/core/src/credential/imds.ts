/**
 * Managed identity on virtual machines and scale sets (and AKS nodes): the Azure Instance
 * Metadata Service at 169.254.169.254, reachable only from inside the VM (Microsoft Learn, "How
 * to use managed identities for Azure resources on an Azure VM to acquire an access token"):
 *
 *   GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01
 *       &resource=https://monitor.azure.com[&client_id=…]
 *   Metadata: true
 *   → 200 {"access_token","expires_in","expires_on" (seconds, as strings),"resource","token_type"}
 *
 * AZURE_LOGS_INGESTION_IMDS_ENDPOINT replaces `http://169.254.169.254` (the local emulator's
 * stand-in, or a proxy); the path and query stay as above.
 */
import { ManagedIdentityCredential } from './managed-identity.js';
import type { NamedCredential } from './named.js';

export const IMDS_ORIGIN = 'http://169.254.169.254';
export const IMDS_TOKEN_PATH = '/metadata/identity/oauth2/token';
export const IMDS_API_VERSION = '2018-02-01';

/** @param base the IMDS origin (a path, if any, is kept before the token path). */
export function imdsCredential(base: URL, clientId: string | undefined): NamedCredential {
  return new ManagedIdentityCredential({
    name: 'IMDS',
    url: new URL(base.href.replace(/\/+$/, '') + IMDS_TOKEN_PATH),
    apiVersion: IMDS_API_VERSION,
    header: ['metadata', 'true'],
    clientId,
  });
}
