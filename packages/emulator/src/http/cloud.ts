/**
 * Which cloud the emulator plays: a token is accepted only for that cloud's monitor audience
 * (Logs Ingestion API docs, "Request headers": public `https://monitor.azure.com`, US Government
 * `https://monitor.azure.us`, 21Vianet `https://monitor.azure.cn`). A token for another
 * cloud's audience gets 401 InvalidAudience, as a token for any other audience does.
 */

export type Cloud = 'public' | 'usgov' | 'china';

export const CLOUDS: ReadonlyArray<Cloud> = ['public', 'usgov', 'china'];

const AUDIENCES: Record<Cloud, string> = {
  public: 'https://monitor.azure.com',
  usgov: 'https://monitor.azure.us',
  china: 'https://monitor.azure.cn',
};

/** The audience of the cloud's tokens (no trailing slash). */
export function cloudAudience(cloud: Cloud): string {
  return AUDIENCES[cloud];
}

/** Whether a token audience is the cloud's (with or without the trailing slash). */
export function audienceFits(aud: unknown, cloud: Cloud): boolean {
  return typeof aud === 'string' && aud.replace(/\/$/, '') === AUDIENCES[cloud];
}
