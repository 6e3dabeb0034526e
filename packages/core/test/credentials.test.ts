import type { Emulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenProvider, TokenUnavailableError } from '../src/delivery/token-provider.js';
import { ErrorCodes, type IngestionError } from '../src/errors.js';
import type { AccessToken, TokenCredential } from '../src/types.js';
import { clientFor, emulator, ManualClock, record, TABLE, until } from './helpers.js';

const SCOPE = 'https://monitor.azure.com/.default';
const HOUR = 3_600_000;

/** A credential that hands out the given tokens in turn and counts calls and scopes. */
function counting(tokens: (() => AccessToken | null | Promise<AccessToken | null>)[]) {
  const calls: (string | string[])[] = [];
  const credential: TokenCredential = {
    async getToken(scopes) {
      calls.push(scopes);
      const next = tokens[Math.min(calls.length - 1, tokens.length - 1)];
      return next ? next() : null;
    },
  };
  return { credential, calls };
}

describe('TokenProvider', () => {
  let now = 1_000_000;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('caches a token and refreshes it five minutes before expiry', async () => {
    const { credential, calls } = counting([
      () => ({ token: 'one', expiresOnTimestamp: now + HOUR }),
      () => ({ token: 'two', expiresOnTimestamp: now + HOUR }),
    ]);
    const tokens = new TokenProvider({ credential }, SCOPE, clock);
    expect(await tokens.get()).toBe('one');
    now += HOUR - 5 * 60_000 - 1;
    expect(await tokens.get()).toBe('one');
    now += 1;
    expect(await tokens.get()).toBe('two');
    expect(calls).toEqual([SCOPE, SCOPE]);
  });

  it('honours refreshAfterTimestamp', async () => {
    const { credential } = counting([
      () => ({ token: 'one', expiresOnTimestamp: now + HOUR, refreshAfterTimestamp: now + 1000 }),
      () => ({ token: 'two', expiresOnTimestamp: now + HOUR }),
    ]);
    const tokens = new TokenProvider({ credential }, SCOPE, clock);
    expect(await tokens.get()).toBe('one');
    now += 1000;
    expect(await tokens.get()).toBe('two');
  });

  it('does not refetch a short-lived token on every call', async () => {
    const { credential, calls } = counting([
      () => ({ token: 'short', expiresOnTimestamp: now + 60_000 }),
    ]);
    const tokens = new TokenProvider({ credential }, SCOPE, clock);
    await tokens.get();
    now += 29_000;
    await tokens.get();
    expect(calls).toHaveLength(1);
  });

  it('shares one refresh between concurrent callers', async () => {
    let release: (t: AccessToken) => void = () => {};
    const { credential, calls } = counting([() => new Promise<AccessToken>((r) => (release = r))]);
    const tokens = new TokenProvider({ credential }, SCOPE, clock);
    const all = Promise.all([tokens.get(), tokens.get(), tokens.get()]);
    await until(() => calls.length === 1);
    release({ token: 'shared', expiresOnTimestamp: now + HOUR });
    expect(await all).toEqual(['shared', 'shared', 'shared']);
    expect(calls).toHaveLength(1);
  });

  it('forces a refresh on demand (after a 401)', async () => {
    const { credential, calls } = counting([
      () => ({ token: 'one', expiresOnTimestamp: now + HOUR }),
      () => ({ token: 'two', expiresOnTimestamp: now + HOUR }),
    ]);
    const tokens = new TokenProvider({ credential }, SCOPE, clock);
    await tokens.get();
    expect(await tokens.get(true)).toBe('two');
    expect(calls).toHaveLength(2);
  });

  it('keeps using a still-valid token when a background refresh fails', async () => {
    const { credential } = counting([
      () => ({ token: 'one', expiresOnTimestamp: now + HOUR }),
      () => {
        throw new Error('IMDS down');
      },
    ]);
    const tokens = new TokenProvider({ credential }, SCOPE, clock);
    await tokens.get();
    now += HOUR - 60_000;
    expect(await tokens.get()).toBe('one');
    now += 60_000;
    await expect(tokens.get()).rejects.toBeInstanceOf(TokenUnavailableError);
  });

  it('turns a null token or a throwing credential into TokenUnavailableError', async () => {
    const { credential } = counting([() => null]);
    await expect(new TokenProvider({ credential }, SCOPE, clock).get()).rejects.toMatchObject({
      code: 'CREDENTIAL',
    });
  });

  it('returns a static token as is', async () => {
    expect(await new TokenProvider({ token: 'static' }, SCOPE, clock).get(true)).toBe('static');
  });
});

describe('credentials against the emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await emulator();
  });
  afterAll(() => emu.stop());
  beforeEach(() => emu.reset());

  const token = (audience?: string): AccessToken => ({
    token: emu.token(audience ? { audience } : {}),
    expiresOnTimestamp: Date.now() + HOUR,
  });

  it('refreshes the token once on a 401 and retries', async () => {
    const { credential, calls } = counting([
      () => token('https://management.azure.com'),
      () => token(),
    ]);
    const { client, failures } = clientFor(emu, { token: undefined, credential });
    client.push(record(1));
    const stats = await client.flush();
    expect(stats).toMatchObject({ delivered: 1, requests: { 401: 1, 204: 1 } });
    expect(calls).toHaveLength(2);
    expect(failures).toEqual([]);
    await client.close();
  });

  it('fails with UNAUTHORIZED after the refreshed token is refused too', async () => {
    const { credential, calls } = counting([() => token('https://management.azure.com')]);
    const { client, failures } = clientFor(emu, { token: undefined, credential });
    client.push(record(1));
    const stats = await client.flush();
    expect(stats).toMatchObject({ rejected: 1, requests: { 401: 2 } });
    expect(calls).toHaveLength(2);
    const error = failures[0]?.error as IngestionError;
    expect(error.code).toBe(ErrorCodes.UNAUTHORIZED);
    expect(error.hint).toMatch(/audience/);
    await client.close();
  });

  it('retries a failing credential, then reports CREDENTIAL without sending', async () => {
    const clock = new ManualClock();
    const { credential } = counting([
      () => {
        throw new Error('no identity here');
      },
    ]);
    const { client, failures } = clientFor(
      emu,
      { token: undefined, credential, maxRetries: 1 },
      clock,
    );
    client.push(record(1));
    const flushed = client.flush();
    await until(() => clock.pending(250).length === 1);
    clock.fire(250);
    const stats = await flushed;
    expect(stats).toMatchObject({ rejected: 1, retried: 1, requests: {} });
    expect(failures[0]?.error.code).toBe(ErrorCodes.CREDENTIAL);
    expect(emu.requests()).toHaveLength(0);
    await client.close();
  });

  it('uses the real DefaultAzureCredential through the emulated managed identity', async () => {
    const env = emu.env({ managedIdentity: true });
    for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
    try {
      const { IngestionClient } = await import('../src/client.js');
      const client = new IngestionClient({}, env);
      expect(client.config.auth).toBe('default-credential');
      client.push(record(7));
      const stats = await client.flush();
      expect(stats.delivered).toBe(1);
      expect(emu.rows(TABLE)).toHaveLength(1);
      expect(emu.counters().tokensIssued).toBeGreaterThan(0);
      await client.close();
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
