/**
 * Credentials by name, for hints and `doctor`: the built-in ones carry a `credentialName`; any
 * other credential is named by its class (`ManagedIdentityCredential`, a user's own class).
 */
import type { AccessToken, TokenCredential } from '../types.js';

/** A credential that says what it is. The built-in credentials implement it. */
export interface NamedCredential extends TokenCredential {
  readonly credentialName: string;
  getToken(
    scopes: string | string[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<AccessToken>;
}

/** The name of `credential`; `DefaultAzureCredential` when none is resolved yet. */
export function credentialName(credential: TokenCredential | undefined): string {
  if (credential === undefined) return 'DefaultAzureCredential';
  const own = (credential as Partial<NamedCredential>).credentialName;
  if (typeof own === 'string' && own !== '') return own;
  const ctor = (credential as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof ctor === 'string' && ctor !== '' && ctor !== 'Object' ? ctor : 'TokenCredential';
}
