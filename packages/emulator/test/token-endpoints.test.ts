/**
 * The Entra ID token endpoint (client secret and client assertion flows) and the IMDS
 * stand-in: what they accept, how they refuse (in Entra ID's and IMDS's shapes), the variables
 * `env({ identity })` gives, and that their tokens pass the ingestion call.
 */
import { existsSync, readFileSync } from 'node:fs';
import { ManagedIdentityCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signFederatedToken } from '../src/auth/federated-token.js';
import { signJwt } from '../src/auth/jwt.js';
import type { Emulator } from '../src/index.js';
import {
  DEFAULT_TABLE,
  EMULATOR_CLIENT_ID,
  EMULATOR_TENANT_ID,
  IMDS_TOKEN_PATH,
  startEmulator,
} from '../src/index.js';
import { http, post, record, V } from './helpers.js';

const SECRET = 'emulator-test-secret-0123456789';
const SCOPE = 'https://monitor.azure.com/.default';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
let emu: Emulator;

beforeAll(async () => {
  emu = await startEmulator({ tokenSecret: SECRET, tokenLifetimeSec: 3600 });
});
afterAll(() => emu.stop());

const tokenUrl = (tenant = EMULATOR_TENANT_ID) => `${emu.endpoint}/${tenant}/oauth2/v2.0/token`;

function form(
  fields: Record<string, string>,
  tenant?: string,
  type = 'application/x-www-form-urlencoded',
) {
  return http(tokenUrl(tenant), {
    method: 'POST',
    headers: { 'content-type': type },
    body: new URLSearchParams(fields).toString(),
  });
}

const secretForm = () => ({
  client_id: EMULATOR_CLIENT_ID,
  scope: SCOPE,
  grant_type: 'client_credentials',
  client_secret: emu.env({ identity: 'client-secret' }).AZURE_CLIENT_SECRET!,
});

const assertionForm = (assertion: string) => ({
  client_id: EMULATOR_CLIENT_ID,
  scope: SCOPE,
  grant_type: 'client_credentials',
  client_assertion_type: JWT_BEARER,
  client_assertion: assertion,
});

async function ingestWith(token: string) {
  return post(emu.streamUrl() + V, [record({ Message: 'with an issued token' })], { token });
}

describe('env({ identity })', () => {
  it('gives the variables of each flow, pointing at the emulator', () => {
    expect(emu.env({ identity: 'app-service' })).toMatchObject({
      IDENTITY_ENDPOINT: `${emu.endpoint}/msi/token`,
      IDENTITY_HEADER: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const app = {
      AZURE_CLIENT_ID: EMULATOR_CLIENT_ID,
      AZURE_TENANT_ID: EMULATOR_TENANT_ID,
      AZURE_AUTHORITY_HOST: emu.endpoint,
    };
    expect(emu.env({ identity: 'client-secret' })).toMatchObject({
      ...app,
      AZURE_CLIENT_SECRET: expect.stringMatching(/^emu~/),
    });
    const workload = emu.env({ identity: 'workload' });
    expect(workload).toMatchObject(app);
    expect(readFileSync(workload.AZURE_FEDERATED_TOKEN_FILE!, 'utf8').split('.')).toHaveLength(3);
    expect(emu.env({ identity: 'imds' })).toMatchObject({
      AZURE_LOGS_INGESTION_IMDS_ENDPOINT: emu.endpoint,
      AZURE_POD_IDENTITY_AUTHORITY_HOST: emu.endpoint,
    });
    for (const identity of ['app-service', 'workload', 'client-secret', 'imds'] as const) {
      expect(emu.env({ identity }).AZURE_LOGS_INGESTION_TOKEN).toBeUndefined();
    }
    expect(() => emu.env({ identity: 'kerberos' as never })).toThrow(/identity must be one of/);
  });

  it('removes the federated token file at stop()', async () => {
    const other = await startEmulator();
    const file = other.env({ identity: 'workload' }).AZURE_FEDERATED_TOKEN_FILE!;
    expect(existsSync(file)).toBe(true);
    await other.stop();
    expect(existsSync(file)).toBe(false);
  });
});

describe('POST /{tenant}/oauth2/v2.0/token', () => {
  it('issues a token for a client secret, accepted by the ingestion call', async () => {
    const r = await form(secretForm());
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body).toEqual({
      token_type: 'Bearer',
      expires_in: 3600,
      ext_expires_in: 3600,
      access_token: expect.any(String),
    });
    expect((await ingestWith(body.access_token)).status).toBe(204);
    expect(emu.rows(DEFAULT_TABLE).at(-1)?.Message).toBe('with an issued token');
  });

  it('issues a token for the federated token of env({ identity: "workload" })', async () => {
    const file = emu.env({ identity: 'workload' }).AZURE_FEDERATED_TOKEN_FILE!;
    const r = await form(assertionForm(readFileSync(file, 'utf8')));
    expect(r.status).toBe(200);
    expect((await ingestWith(JSON.parse(r.body).access_token)).status).toBe(204);
  });

  it('gives the audience of the scope: another resource is refused by ingestion', async () => {
    const r = await form({ ...secretForm(), scope: 'https://management.azure.com/.default' });
    const answer = await ingestWith(JSON.parse(r.body).access_token);
    expect(answer.status).toBe(401);
    expect(answer.headers['x-ms-error-code']).toBe('InvalidAudience');
  });

  const now = () => Date.now();
  const expired = () => signFederatedToken(SECRET, now() - 7_200_000, 3600);
  const foreign = () =>
    signJwt(SECRET, {
      aud: ['api://AzureADTokenExchange'],
      iss: 'https://oidc.example/',
      sub: 'system:serviceaccount:other:sa',
      iat: Math.floor(now() / 1000),
      exp: Math.floor(now() / 1000) + 600,
    });

  it.each([
    ['an unknown tenant', () => [secretForm(), 'other-tenant'], 400, 'invalid_request', 90002],
    [
      'no grant_type',
      () => [{ client_id: EMULATOR_CLIENT_ID, scope: SCOPE, client_secret: 'x' }],
      400,
      'invalid_request',
      900144,
    ],
    [
      'a body that is not a form',
      () => [secretForm(), undefined, 'application/json'],
      400,
      'invalid_request',
      900144,
    ],
    [
      'another grant',
      () => [{ ...secretForm(), grant_type: 'password' }],
      400,
      'unsupported_grant_type',
      70003,
    ],
    [
      'an unknown client_id',
      () => [{ ...secretForm(), client_id: 'nope' }],
      400,
      'unauthorized_client',
      700016,
    ],
    [
      'a scope without /.default',
      () => [{ ...secretForm(), scope: 'https://monitor.azure.com' }],
      400,
      'invalid_scope',
      1002012,
    ],
    [
      'a wrong secret',
      () => [{ ...secretForm(), client_secret: 'wrong' }],
      401,
      'invalid_client',
      7000215,
    ],
    [
      'neither secret nor assertion',
      () => [{ client_id: EMULATOR_CLIENT_ID, scope: SCOPE, grant_type: 'client_credentials' }],
      401,
      'invalid_client',
      7000218,
    ],
    ['a malformed assertion', () => [assertionForm('garbage')], 400, 'invalid_request', 50027],
    ['an expired assertion', () => [assertionForm(expired())], 400, 'invalid_client', 700024],
    [
      'an assertion of another subject',
      () => [assertionForm(foreign())],
      400,
      'invalid_request',
      70021,
    ],
  ] as const)('refuses %s as Entra ID does', async (_, args, status, error, code) => {
    const [fields, tenant, type] = args() as [Record<string, string>, string?, string?];
    const r = await form(fields, tenant, type);
    expect(r.status).toBe(status);
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({ error, error_codes: [code] });
    expect(body.error_description).toMatch(new RegExp(`^AADSTS${code}: .* Trace ID: `));
  });

  it('refuses a wrong assertion type, and GET', async () => {
    const r = await form({ ...assertionForm('x'), client_assertion_type: 'saml' });
    expect([r.status, JSON.parse(r.body).error]).toEqual([400, 'invalid_request']);
    expect((await http(tokenUrl())).status).toBe(405);
  });
});

describe('GET /metadata/identity/oauth2/token (IMDS)', () => {
  const url = (q = '?api-version=2018-02-01&resource=https://monitor.azure.com') =>
    `${emu.endpoint}${IMDS_TOKEN_PATH}${q}`;

  it('issues a token with the Metadata header, in IMDS shape, accepted by ingestion', async () => {
    const r = await http(url(), { headers: { metadata: 'true' } });
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({
      token_type: 'Bearer',
      resource: 'https://monitor.azure.com',
      expires_in: '3600',
      expires_on: expect.stringMatching(/^\d+$/),
      client_id: EMULATOR_CLIENT_ID,
    });
    expect((await ingestWith(body.access_token)).status).toBe(204);
  });

  it.each([
    [
      'no Metadata header',
      '?api-version=2018-02-01&resource=https://monitor.azure.com',
      {},
      'Required metadata header not specified',
    ],
    ['no api-version', '?resource=x', { metadata: 'true' }, 'api-version'],
    [
      'an api-version before 2018-02-01',
      '?api-version=2017-09-01&resource=x',
      { metadata: 'true' },
      'Invalid version',
    ],
    ['no resource', '?api-version=2018-02-01', { metadata: 'true' }, 'resource'],
  ])('refuses %s', async (_, query, headers, text) => {
    const r = await http(url(query), { headers });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({
      error: 'invalid_request',
      error_description: expect.stringContaining(text),
    });
  });

  it('serves @azure/identity through AZURE_POD_IDENTITY_AUTHORITY_HOST', async () => {
    const saved = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = emu.env({
      identity: 'imds',
    }).AZURE_POD_IDENTITY_AUTHORITY_HOST;
    try {
      const token = await new ManagedIdentityCredential().getToken(SCOPE);
      expect((await ingestWith(token.token)).status).toBe(204);
    } finally {
      if (saved === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
      else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = saved;
    }
  });
});
