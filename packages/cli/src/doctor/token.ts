/**
 * The credential the probe uses, watched: the same credential the transports would pick from
 * the same environment (see the core's config/auth.ts), wrapped so that `doctor` can say which
 * one produced a token and for which audience, from the token's claims. The token itself is
 * never printed or kept beyond the call.
 */
import type { AccessToken, TokenCredential } from 'azure-ingestion-core';
import type { ResolvedSettings } from 'azure-ingestion-core/adapter';

/** What the claims of a token say (no signature is checked: this is for messages). */
export interface TokenClaims {
  /** `aud`: the audience (resource) the token was issued for. */
  readonly audience?: string;
  /** `tid`, `oid` (the identity's object id, for a role assignment), `appid`/`azp`. */
  readonly tenantId?: string;
  readonly objectId?: string;
  readonly appId?: string;
  /** `exp`, epoch ms. */
  readonly expiresOn?: number;
}

/** The claims of a JWT, or undefined when the token is not one. */
export function tokenClaims(token: string): TokenClaims | undefined {
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (claims === null || typeof claims !== 'object') return undefined;
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' && v !== '' ? v : undefined;
  const aud = text(Array.isArray(claims.aud) ? claims.aud[0] : claims.aud);
  const tid = text(claims.tid);
  const oid = text(claims.oid);
  const app = text(claims.appid) ?? text(claims.azp);
  const out: TokenClaims = {
    ...(aud !== undefined && { audience: aud }),
    ...(tid !== undefined && { tenantId: tid }),
    ...(oid !== undefined && { objectId: oid }),
    ...(app !== undefined && { appId: app }),
    ...(typeof claims.exp === 'number' && { expiresOn: claims.exp * 1000 }),
  };
  return out;
}

/** What the watched credential saw. */
export interface TokenWatch {
  /** The credential's name, as `client.credentialName` gives it. */
  readonly name: string;
  /** The claims of the last token it gave; undefined before or when not a JWT. */
  claims: TokenClaims | undefined;
  /** Whether a token was obtained. */
  obtained: boolean;
  /** The token's expiry as the credential said it (epoch ms). */
  expiresOn: number | undefined;
}

/** The credential the transports would use when none is given: `DefaultAzureCredential`, lazily. */
function defaultCredential(): TokenCredential {
  let credential: TokenCredential | undefined;
  return {
    async getToken(scopes, options) {
      // Imported only now: @azure/identity is large, and optional.
      credential ??= new (await import('@azure/identity')).DefaultAzureCredential();
      return credential.getToken(scopes, options);
    },
  };
}

/**
 * The credential for the probe, watched, or undefined when the settings use a static token
 * (its claims are read directly, into the returned watch).
 */
export function watchedCredential(settings: ResolvedSettings): {
  credential?: TokenCredential & { readonly credentialName: string };
  watch: TokenWatch;
} {
  if (settings.token !== undefined) {
    const watch: TokenWatch = {
      name: 'StaticToken',
      claims: tokenClaims(settings.token),
      obtained: true,
      expiresOn: undefined,
    };
    watch.expiresOn = watch.claims?.expiresOn;
    return { watch };
  }
  const inner = settings.credential ?? settings.builtIn ?? defaultCredential();
  const name = settings.credential
    ? (inner.constructor?.name ?? 'TokenCredential')
    : (settings.builtIn?.credentialName ?? 'DefaultAzureCredential');
  const watch: TokenWatch = { name, claims: undefined, obtained: false, expiresOn: undefined };
  const credential = {
    credentialName: name,
    async getToken(scopes: string | string[], options?: { abortSignal?: AbortSignal }) {
      const token: AccessToken | null = await inner.getToken(scopes, options);
      if (token?.token) {
        watch.obtained = true;
        watch.claims = tokenClaims(token.token);
        watch.expiresOn = token.expiresOnTimestamp;
      }
      return token;
    },
  };
  return { credential, watch };
}
