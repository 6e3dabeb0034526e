/**
 * The environment variables of each way to authenticate against the emulator, as the Azure
 * platforms set them for an app (emulator `env({ identity })`):
 *
 *   token          AZURE_LOGS_INGESTION_TOKEN (a fresh token; the default)
 *   app-service    IDENTITY_ENDPOINT + IDENTITY_HEADER (App Service, Functions, Container Apps)
 *   workload       AZURE_FEDERATED_TOKEN_FILE + AZURE_CLIENT_ID + AZURE_TENANT_ID
 *                  + AZURE_AUTHORITY_HOST (AKS workload identity; the file is written here)
 *   client-secret  AZURE_CLIENT_SECRET + AZURE_CLIENT_ID + AZURE_TENANT_ID + AZURE_AUTHORITY_HOST
 *   imds           AZURE_LOGS_INGESTION_IMDS_ENDPOINT (the transports' built-in credential) and
 *                  AZURE_POD_IDENTITY_AUTHORITY_HOST (MSAL / @azure/identity), both the emulator
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { State } from '../state.js';
import { signFederatedToken } from './federated-token.js';
import { IDENTITY_PATH } from './identity-endpoint.js';
import { EMULATOR_CLIENT_ID, EMULATOR_TENANT_ID } from './jwt.js';

/** How a client authenticates against the emulator (see {@link IdentityEnv}). */
export type EmulatorIdentity = 'token' | 'app-service' | 'workload' | 'client-secret' | 'imds';

export const IDENTITIES: readonly EmulatorIdentity[] = [
  'token',
  'app-service',
  'workload',
  'client-secret',
  'imds',
];

/** Builds the variables of each identity; owns the federated token file (removed by cleanup). */
export class IdentityEnv {
  readonly #endpoint: string;
  readonly #state: State;
  readonly #accessToken: () => string;
  #dir: string | undefined;

  constructor(endpoint: string, state: State, accessToken: () => string) {
    this.#endpoint = endpoint;
    this.#state = state;
    this.#accessToken = accessToken;
  }

  vars(identity: EmulatorIdentity): Record<string, string> {
    const app = {
      AZURE_CLIENT_ID: EMULATOR_CLIENT_ID,
      AZURE_TENANT_ID: EMULATOR_TENANT_ID,
      AZURE_AUTHORITY_HOST: this.#endpoint,
    };
    switch (identity) {
      case 'token':
        return { AZURE_LOGS_INGESTION_TOKEN: this.#accessToken() };
      case 'app-service':
        return {
          IDENTITY_ENDPOINT: `${this.#endpoint}${IDENTITY_PATH}`,
          IDENTITY_HEADER: this.#state.identityHeader,
        };
      case 'workload':
        return { ...app, AZURE_FEDERATED_TOKEN_FILE: this.#writeFederatedToken() };
      case 'client-secret':
        return { ...app, AZURE_CLIENT_SECRET: this.#state.clientSecret };
      case 'imds':
        return {
          AZURE_LOGS_INGESTION_IMDS_ENDPOINT: this.#endpoint,
          AZURE_POD_IDENTITY_AUTHORITY_HOST: this.#endpoint,
        };
      default:
        throw new TypeError(
          `env(): identity must be one of ${IDENTITIES.join(', ')}, got ${JSON.stringify(identity)}`,
        );
    }
  }

  /** Writes a fresh federated token (as kubelet rotates it) and returns the file's path. */
  #writeFederatedToken(): string {
    this.#dir ??= mkdtempSync(join(tmpdir(), 'azure-ingestion-emulator-'));
    const file = join(this.#dir, 'azure-identity-token');
    const s = this.#state;
    writeFileSync(file, signFederatedToken(s.secret, s.now(), s.tokenLifetimeSec), { mode: 0o600 });
    return file;
  }

  cleanup(): void {
    if (this.#dir) rmSync(this.#dir, { recursive: true, force: true });
    this.#dir = undefined;
  }
}
