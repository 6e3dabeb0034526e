/**
 * The federated token of workload identity: on AKS, kubelet writes a service-account token to
 * the file named by AZURE_FEDERATED_TOKEN_FILE, and Entra ID accepts it as a client assertion
 * when a federated identity credential of the app matches its issuer and subject, with the
 * audience `api://AzureADTokenExchange` (Microsoft Learn, "Workload identity federation").
 *
 * The emulator plays both sides: it issues such a token (signed like its access tokens) and its
 * token endpoint accepts exactly those, as if the app had a federated credential for
 * FEDERATED_ISSUER + FEDERATED_SUBJECT.
 */
import { inLifetime, readJwt, signJwt } from './jwt.js';

export const FEDERATED_AUDIENCE = 'api://AzureADTokenExchange';
export const FEDERATED_ISSUER = 'https://oidc.emulator.invalid/';
export const FEDERATED_SUBJECT = 'system:serviceaccount:default:workload-identity-sa';

/** A federated (service-account) token valid for `lifetimeSec` from `nowMs`. */
export function signFederatedToken(secret: string, nowMs: number, lifetimeSec: number): string {
  const iat = Math.floor(nowMs / 1000);
  return signJwt(secret, {
    aud: [FEDERATED_AUDIENCE],
    iss: FEDERATED_ISSUER,
    sub: FEDERATED_SUBJECT,
    iat,
    nbf: iat,
    exp: iat + lifetimeSec,
  });
}

/** Why a client assertion is refused (an AADSTS code and text, as Entra ID words them), or undefined. */
export function assertionProblem(
  secret: string,
  assertion: string,
  nowMs: number,
): [number, string] | undefined {
  const read = readJwt(secret, assertion);
  if (!read.ok) return [50027, 'JWT token is invalid or malformed.'];
  const c = read.claims;
  if (!inLifetime(c, nowMs))
    return [700024, 'Client assertion is not within its valid time range.'];
  const aud = Array.isArray(c.aud) ? c.aud : [c.aud];
  if (
    !aud.includes(FEDERATED_AUDIENCE) ||
    c.iss !== FEDERATED_ISSUER ||
    c.sub !== FEDERATED_SUBJECT
  ) {
    return [
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(c.iss)}'. Assertion Subject: '${String(c.sub)}'. Assertion Audience: '${aud.join(',')}'.`,
    ];
  }
  return undefined;
}
