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
  /** The credential that failed, as `TokenProvider.credentialName` gives it. */
  readonly credentialName: string;
  constructor(message: string, credentialName: string, options?: { cause?: unknown }) {
    super(message, options);
    this.credentialName = credentialName;
  }
}

/** Thrown by `TokenProvider.get` when its caller's signal aborted the wait. */
export class TokenWaitAborted extends Error {
  readonly code = 'ABORTED';
}

export interface TokenProviderOptions {
  /** Bound of one `getToken()` call. @default 30000 */
  readonly timeoutMs?: number;
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
  readonly #timeoutMs: number;

  constructor(
    source: TokenSource,
    scope: string,
    now: () => number = Date.now,
    options: TokenProviderOptions = {},
  ) {
    this.#scope = scope;
    this.#now = now;
    this.#static = source.credential ? undefined : source.token;
    this.#credential = source.credential;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#builtIn = source.builtIn;
  }

  /**
   * What produces the tokens, for messages and `doctor`: `'DefaultAzureCredential'`, a built-in
   * flow, the class name of the credential given, or `'StaticToken'`. Never a secret.
   */
  get credentialName(): string {
    if (this.#static !== undefined) return 'StaticToken';
    return credentialName(this.#credential ?? this.#builtIn);
  }

  /**
   * A token to send; `force` discards the cached one first (after a 401). `signal` ends the
   * wait early (the shared refresh goes on for other callers, bounded by its own timeout).
   */
  async get(force = false, signal?: AbortSignal): Promise<string> {
    if (this.#static !== undefined) return this.#static;
    if (force && !this.#refreshing) this.#cached = undefined;
    const cached = this.#cached;
    const now = this.#now();
    if (cached && now < cached.refreshAt) return cached.token;
    try {
      return (await abortable(this.#refresh(), signal)).token;
    } catch (error) {
      if (error instanceof TokenWaitAborted) throw error;
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
    const name = this.credentialName;
    let token: AccessToken | null;
    try {
      const credential = await this.#resolveCredential();
      token = await this.#bounded(credential);
    } catch (error) {
      const what =
        error instanceof TokenTimeout
          ? `did not return a token within ${this.#timeoutMs} ms (tokenTimeoutMs)`
          : `could not get a token for ${this.#scope}`;
      throw new TokenUnavailableError(`${name} ${what}`, name, { cause: error });
    }
    if (!token?.token) {
      throw new TokenUnavailableError(`${name} returned no token for ${this.#scope}`, name);
    }
    const cached = { ...token, refreshAt: refreshAt(token, fetchedAt) };
    this.#cached = cached;
    return cached;
  }

  /**
   * One `getToken()` bounded by `timeoutMs`: the credential is asked to stop through its
   * `abortSignal`, and is not waited for beyond the bound even if it ignores the signal. The
   * timer is ref'd on purpose: a flush awaiting a hung credential must still settle.
   */
  #bounded(credential: TokenCredential): Promise<AccessToken | null> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new TokenTimeout());
      }, this.#timeoutMs);
    });
    const asked = Promise.resolve().then(() =>
      credential.getToken(this.#scope, { abortSignal: abort.signal }),
    );
    return Promise.race([asked, timedOut]).finally(() => clearTimeout(timer));
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

class TokenTimeout extends Error {
  readonly code = 'TIMEOUT';
  constructor() {
    super('getToken() timed out');
  }
}

/** `promise`, or a `TokenWaitAborted` rejection as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new TokenWaitAborted('aborted'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new TokenWaitAborted('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
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
