/**
 * The managed-identity endpoint, driven by the real @azure/identity credentials (MSAL's App
 * Service source): IDENTITY_ENDPOINT + IDENTITY_HEADER point at the emulator.
 */
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { DEFAULT_TABLE, IDENTITY_PATH, startEmulator } from '../src/index.js';
import { http, post, record, V } from './helpers.js';

let emu: Emulator;
const saved: Record<string, string | undefined> = {};
const VARS = [
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'AZURE_CLIENT_ID',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_FEDERATED_TOKEN_FILE',
  'MSI_ENDPOINT',
];

beforeAll(async () => {
  emu = await startEmulator({ tokenLifetimeSec: 7200 });
  for (const k of VARS) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
  const env = emu.env({ managedIdentity: true });
  process.env.IDENTITY_ENDPOINT = env.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = env.IDENTITY_HEADER;
});
afterAll(async () => {
  for (const k of VARS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  await emu.stop();
});

describe('managed-identity endpoint (App Service protocol)', () => {
  it('env() gives IDENTITY_ENDPOINT and IDENTITY_HEADER instead of a token', () => {
    const env = emu.env({ managedIdentity: true });
    expect(env.IDENTITY_ENDPOINT).toBe(`${emu.endpoint}${IDENTITY_PATH}`);
    expect(env.IDENTITY_HEADER).toMatch(/^[0-9a-f]{32}$/);
    expect(env.AZURE_LOGS_INGESTION_TOKEN).toBeUndefined();
    expect(emu.env().AZURE_LOGS_INGESTION_TOKEN).toMatch(/^ey/);
  });

  it('ManagedIdentityCredential gets a token the ingestion call accepts', async () => {
    const before = emu.counters().tokensIssued;
    const t = await new ManagedIdentityCredential().getToken('https://monitor.azure.com/.default');
    expect(t.token.split('.')).toHaveLength(3);
    expect(t.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3600_000);
    expect(emu.counters().tokensIssued).toBe(before + 1);
    const r = await post(emu.streamUrl() + V, [record({ Message: 'via MI' })], { token: t.token });
    expect(r.status).toBe(204);
    expect(emu.rows(DEFAULT_TABLE).at(-1)!.Message).toBe('via MI');
  });

  it('DefaultAzureCredential reaches the emulator too; the // scope form works', async () => {
    const t = await new DefaultAzureCredential().getToken('https://monitor.azure.com//.default');
    expect((await post(emu.streamUrl() + V, [record()], { token: t.token })).status).toBe(204);
  });

  it('a token for another audience is refused with InvalidAudience', async () => {
    const t = await new ManagedIdentityCredential().getToken(
      'https://management.azure.com/.default',
    );
    const r = await post(emu.streamUrl() + V, [record()], { token: t.token });
    expect(r.status).toBe(401);
    expect(r.headers['x-ms-error-code']).toBe('InvalidAudience');
  });

  it('refuses a wrong X-IDENTITY-HEADER, a wrong api-version and a missing resource', async () => {
    const base = `${emu.endpoint}${IDENTITY_PATH}`;
    const header = { 'x-identity-header': emu.env({ managedIdentity: true }).IDENTITY_HEADER! };
    expect(
      (
        await http(`${base}?api-version=2019-08-01&resource=https://monitor.azure.com`, {
          headers: { 'x-identity-header': 'nope' },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await http(`${base}?api-version=2017-09-01&resource=https://monitor.azure.com`, {
          headers: header,
        })
      ).status,
    ).toBe(400);
    expect((await http(`${base}?api-version=2019-08-01`, { headers: header })).status).toBe(400);
    const ok = await http(`${base}?api-version=2019-08-01&resource=https://monitor.azure.com`, {
      headers: header,
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({
      token_type: 'Bearer',
      resource: 'https://monitor.azure.com',
    });
  });
});
