/**
 * Bearer tokens for the requests. Four sources: an explicit `TokenCredential`, a static token
 * (local use), `DefaultAzureCredential`, imported lazily at the first send so that importing
 * the core (or an adapter) never loads @azure/identity, or, when @azure/identity is not
 * installed, the built-in credential chosen at construction (credential/select.ts).
 *
 * Tokens are cached and refreshed before expiry; concurrent sends share one refresh; a 401
 * forces one refresh. A token never appears in an error message: failures carry only the
 * credential's own error as `cause`.
 */
import { credentialName } from '../credential/named.js';
import type { AccessToken, TokenCredential } from '../types.js';

/** Refresh this long before `expiresOnTimestamp` when the credential gives no refresh hint. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** Thrown by `TokenProvider.get`; the engine retries it like a transient error. */
export class TokenUnavailableError extends Error {
  readonly code = 'CREDENTIAL';
}

export interface TokenSource {
  readonly credential?: TokenCredential | undefined;
  readonly token?: string | undefined;
  /** The built-in credential chosen at construction when @azure/identity is not installed. */
  readonly builtIn?: TokenCredential | undefined;
}

/** Hands out a valid token, refreshing it as needed. */
export class TokenProvider {
  readonly #scope: string;
  readonly #now: () => number;
  readonly #static: string | undefined;
  readonly #builtIn: TokenCredential | undefined;
  #credential: TokenCredential | undefined;
  #cached: CachedToken | undefined;
  #refreshing: Promise<CachedToken> | undefined;

  constructor(source: TokenSource, scope: string, now: () => number = Date.now) {
    this.#scope = scope;
    this.#now = now;
    this.#static = source.credential ? undefined : source.token;
    this.#credential = source.credential;
    this.#builtIn = source.builtIn;
  }

  /** What produces the tokens: `'DefaultAzureCredential'`, a built-in flow or a class name. */
  get credentialName(): string {
    if (this.#static !== undefined) return 'StaticToken';
    return credentialName(this.#credential ?? this.#builtIn);
  }

  /** A token to send; `force` discards the cached one first (after a 401). */
  async get(force = false): Promise<string> {
    if (this.#static !== undefined) return this.#static;
    if (force && !this.#refreshing) this.#cached = undefined;
    const cached = this.#cached;
    const now = this.#now();
    if (cached && now < cached.refreshAt) return cached.token;
    try {
      return (await this.#refresh()).token;
    } catch (error) {
      // A refresh that fails while the old token is still valid is not fatal yet.
      if (cached && !force && now < cached.expiresOnTimestamp) return cached.token;
      throw error;
    }
  }

  /** One refresh at a time: concurrent callers share the promise. */
  #refresh(): Promise<CachedToken> {
    this.#refreshing ??= this.#fetch().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #fetch(): Promise<CachedToken> {
    const fetchedAt = this.#now();
    let token: AccessToken | null;
    try {
      const credential = await this.#resolveCredential();
      token = await credential.getToken(this.#scope);
    } catch (error) {
      throw new TokenUnavailableError(`the credential could not get a token for ${this.#scope}`, {
        cause: error,
      });
    }
    if (!token?.token) {
      throw new TokenUnavailableError(`the credential returned no token for ${this.#scope}`);
    }
    const cached = { ...token, refreshAt: refreshAt(token, fetchedAt) };
    this.#cached = cached;
    return cached;
  }

  async #resolveCredential(): Promise<TokenCredential> {
    if (!this.#credential && this.#builtIn) this.#credential = this.#builtIn;
    if (!this.#credential) {
      // Lazy on purpose: @azure/identity is large and most processes never need it at import.
      const identity = await import('@azure/identity');
      this.#credential = new identity.DefaultAzureCredential();
    }
    return this.#credential;
  }
}

interface CachedToken extends AccessToken {
  readonly refreshAt: number;
}

/**
 * When to refresh: the credential's hint, else 5 minutes before expiry, but never before half
 * the token's lifetime (a short-lived token must not be refetched on every request).
 */
function refreshAt(token: AccessToken, fetchedAt: number): number {
  if (token.refreshAfterTimestamp !== undefined) return token.refreshAfterTimestamp;
  const expires = token.expiresOnTimestamp;
  return Math.max(expires - REFRESH_MARGIN_MS, fetchedAt + (expires - fetchedAt) / 2);
}
