/**
 * Workload identity on AKS (Microsoft Learn, "Use Microsoft Entra Workload ID with AKS"): the
 * webhook mounts a Kubernetes service-account token and sets AZURE_FEDERATED_TOKEN_FILE,
 * AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_AUTHORITY_HOST. The file's content is the client
 * assertion of a client-credentials request (see entra.ts), exchanged for an Entra ID token.
 *
 * The file is read at every token request: kubelet rotates it (hourly by default) and a stale
 * assertion is refused. Tokens are requested about once an hour, so the read costs nothing.
 */
import { readFile } from 'node:fs/promises';
import { ClientCredentialsCredential, type ClientProof, type EntraApp } from './entra.js';
import { CredentialError } from './http.js';
import type { NamedCredential } from './named.js';

const NAME = 'WorkloadIdentity';

/** The federated token in `file`, trimmed, as a client assertion. */
async function federatedToken(file: string): Promise<ClientProof> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CredentialError(
      `${NAME}: AZURE_FEDERATED_TOKEN_FILE ${file} cannot be read (${code})`,
    );
  }
  const assertion = text.trim();
  if (assertion === '') {
    throw new CredentialError(`${NAME}: AZURE_FEDERATED_TOKEN_FILE ${file} is empty`);
  }
  return { assertion };
}

export function workloadIdentityCredential(app: EntraApp, tokenFile: string): NamedCredential {
  return new ClientCredentialsCredential(NAME, app, () => federatedToken(tokenFile));
}
