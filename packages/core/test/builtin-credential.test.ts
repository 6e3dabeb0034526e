/**
 * The built-in credential (used when @azure/identity is not installed): which flow the
 * environment selects, each flow against the emulator over real sockets, answer parsing, the
 * Azure VM detection, and that no secret reaches a message. The same flows from a child process
 * with only the packed packages installed are in test/builtin-credential.test.ts (root).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config/resolve.js';
import { accessTokenFrom, resourceOf } from '../src/credential/answer.js';
import { AZURE_ASSET_TAG, detectAzureVm } from '../src/credential/azure-host.js';
import { CredentialError } from '../src/credential/http.js';
import { identityInstalled, resolvable } from '../src/credential/identity-package.js';
import type { NamedCredential } from '../src/credential/named.js';
import { selectBuiltIn } from '../src/credential/select.js';
import { TokenProvider } from '../src/delivery/token-provider.js';
import { ConfigurationError, type IngestionError } from '../src/errors.js';
import { clientFor, emulator, record, TABLE } from './helpers.js';

const SCOPE = 'https://monitor.azure.com/.default';
const notVm = { azureVm: () => false };
const vm = { azureVm: () => true };
const APP = { AZURE_CLIENT_ID: 'c1', AZURE_TENANT_ID: 't1' };

const named = (env: Record<string, string>, host = notVm) =>
  selectBuiltIn(env, host).credential?.credentialName;

describe('which built-in flow the environment selects', () => {
  const appService = { IDENTITY_ENDPOINT: 'http://localhost:8081/msi/token', IDENTITY_HEADER: 'h' };
  const workload = { ...APP, AZURE_FEDERATED_TOKEN_FILE: '/var/run/token' };
  const secret = { ...APP, AZURE_CLIENT_SECRET: 's3cr3t-value' };
  const imds = { AZURE_LOGS_INGESTION_IMDS_ENDPOINT: 'http://127.0.0.1:9' };

  it.each([
    ['App Service', appService, 'ManagedIdentity (App Service)'],
    ['workload identity', workload, 'WorkloadIdentity'],
    ['client secret', secret, 'ClientSecret'],
    ['IMDS override', imds, 'IMDS'],
    [
      'App Service before all others',
      { ...imds, ...secret, ...workload, ...appService },
      'ManagedIdentity (App Service)',
    ],
    ['workload before a secret', { ...secret, ...workload }, 'WorkloadIdentity'],
    ['a secret before IMDS', { ...imds, ...secret }, 'ClientSecret'],
  ])('%s', (_, env, name) => {
    expect(named(env)).toBe(name);
  });

  it('uses IMDS on a detected Azure VM, and not elsewhere', () => {
    expect(named({}, vm)).toBe('IMDS');
    expect(named({ AZURE_CLIENT_ID: 'c1' }, vm)).toBe('IMDS');
    expect(selectBuiltIn({}, notVm).credential).toBeUndefined();
  });

  it('skips flows whose variables are partly set (blank counts as unset)', () => {
    expect(named({ ...appService, IDENTITY_HEADER: ' ' }, vm)).toBe('IMDS');
    expect(named({ AZURE_FEDERATED_TOKEN_FILE: '/f', AZURE_CLIENT_ID: 'c1' }, vm)).toBe('IMDS');
    // Service Fabric sets the same two variables plus a thumbprint, and speaks another protocol.
    expect(named({ ...appService, IDENTITY_SERVER_THUMBPRINT: 'ab' }, vm)).toBe('IMDS');
  });

  it('says in one problem what to do when nothing applies, naming partial flows', () => {
    const { problems } = selectBuiltIn(
      { AZURE_CLIENT_SECRET: 's3cr3t-value', AZURE_CLIENT_ID: 'c1', IDENTITY_ENDPOINT: 'http://x' },
      notVm,
    );
    expect(problems).toHaveLength(1);
    const line = new ConfigurationError(problems).message.split('\n')[1] ?? '';
    expect(line).toMatch(/^ {2}- credential: is not given, @azure\/identity is not installed/);
    expect(line).toMatch(/AZURE_CLIENT_SECRET is set without AZURE_TENANT_ID/);
    expect(line).toMatch(/IDENTITY_ENDPOINT is set without IDENTITY_HEADER/);
    expect(line).toMatch(
      /Fix: install @azure\/identity \(npm i @azure\/identity\).*pass a credential.*built-in flow/,
    );
    expect(line).not.toContain('s3cr3t-value');
  });

  it.each([
    [
      { ...appService, IDENTITY_ENDPOINT: 'not a url' },
      'IDENTITY_ENDPOINT',
      /not an http\(s\) URL/,
    ],
    [
      { ...imds, AZURE_LOGS_INGESTION_IMDS_ENDPOINT: 'ftp://x' },
      'AZURE_LOGS_INGESTION_IMDS_ENDPOINT',
      /not an http/,
    ],
    [{ ...secret, AZURE_TENANT_ID: 'a/b' }, 'AZURE_TENANT_ID', /not a tenant id/],
    [
      { ...secret, AZURE_AUTHORITY_HOST: 'http://login.example.com' },
      'AZURE_AUTHORITY_HOST',
      /plain http/,
    ],
    [
      { ...workload, AZURE_AUTHORITY_HOST: 'https://login.example.com/?x=1' },
      'AZURE_AUTHORITY_HOST',
      /query/,
    ],
  ])('refuses invalid variables of the flow picked: %o', (env, envVar, problem) => {
    const { credential, problems } = selectBuiltIn(env, notVm);
    expect(credential).toBeUndefined();
    expect(problems).toMatchObject([
      { option: 'credential', envVar, problem: expect.stringMatching(problem) },
    ]);
    expect(JSON.stringify(problems)).not.toContain('s3cr3t-value');
  });

  it('is what the client configuration uses only when @azure/identity is absent', () => {
    // In this repository @azure/identity is installed (a devDependency), so the default stays.
    expect(identityInstalled()).toBe(true);
    const settings = resolveConfig(
      {},
      {
        AZURE_LOGS_INGESTION_URL:
          'https://x.example/dataCollectionRules/dcr-00000000000000000000000000000000/streams/Custom-X',
        ...secret,
      },
    );
    expect(settings.config.auth).toBe('default-credential');
    expect(settings.builtIn).toBeUndefined();
  });
});

describe('resolving @azure/identity without loading it', () => {
  it('finds installed packages and not missing ones, from a given location (not NODE_PATH)', () => {
    const here = new URL('../src/index.ts', import.meta.url).href;
    expect(resolvable('@azure/identity', here)).toBe(true);
    expect(resolvable('undici', here)).toBe(true);
    expect(resolvable('@azure/no-such-package-here', here)).toBe(false);
    const elsewhere = mkdtempSync(join(tmpdir(), 'resolve-'));
    try {
      expect(resolvable('@azure/identity', `file://${elsewhere}/index.js`)).toBe(false);
    } finally {
      rmSync(elsewhere, { recursive: true });
    }
  });
});

describe('Azure VM detection', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'azure-host-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the SMBIOS chassis asset tag on Linux', () => {
    const file = join(dir, 'chassis_asset_tag');
    const probe = { platform: 'linux' as const, assetTagFile: file, systemDrive: undefined };
    expect(detectAzureVm(probe)).toBe(false); // no file
    writeFileSync(file, 'No Asset Tag\n');
    expect(detectAzureVm(probe)).toBe(false);
    writeFileSync(file, `${AZURE_ASSET_TAG}\n`);
    expect(detectAzureVm(probe)).toBe(true);
  });

  it('looks for the VM agent folder on Windows; nothing elsewhere', () => {
    const probe = { platform: 'win32' as const, assetTagFile: '', systemDrive: dir };
    expect(detectAzureVm(probe)).toBe(false);
    mkdirSync(join(dir, 'WindowsAzure'));
    expect(detectAzureVm(probe)).toBe(true);
    expect(detectAzureVm({ ...probe, platform: 'darwin' })).toBe(false);
  });
});

describe('token answers', () => {
  const at = 1_700_000_000_000;
  const ok = (body: object) => ({ status: 200, body: JSON.stringify(body) });

  it.each([
    [
      'App Service: expires_on in seconds, as a string',
      { access_token: 't', expires_on: '1700003600' },
      at + 3_600_000,
      undefined,
    ],
    [
      'ISO 8601 expires_on',
      { access_token: 't', expires_on: '2023-11-14T23:13:20Z' },
      at + 3_600_000,
      undefined,
    ],
    [
      'Entra: expires_in as a number',
      { access_token: 't', expires_in: 3599 },
      at + 3_599_000,
      undefined,
    ],
    [
      'refresh_in is honoured',
      { access_token: 't', expires_in: 3600, refresh_in: 1800 },
      at + 3_600_000,
      at + 1_800_000,
    ],
    [
      'a 24 h token is refreshed at half its life',
      { access_token: 't', expires_in: '86400' },
      at + 86_400_000,
      at + 43_200_000,
    ],
  ])('%s', (_, body, expires, refresh) => {
    const token = accessTokenFrom('X', ok(body), at, []);
    expect(token.expiresOnTimestamp).toBe(expires);
    expect(token.refreshAfterTimestamp).toBe(refresh);
  });

  it.each([
    [
      {
        status: 401,
        body: '{"error":"invalid_client","error_description":"AADSTS7000215: bad s3cr3t-value\\r\\nTrace ID: 1"}',
      },
      /^X: HTTP 401: invalid_client: AADSTS7000215: bad <redacted> Trace ID: 1$/,
    ],
    [
      { status: 400, body: '{"error":{"code":"BadRequest","message":"no identity"}}' },
      /HTTP 400: BadRequest: no identity/,
    ],
    [{ status: 500, body: '{"statusCode":500,"message":"down"}' }, /HTTP 500: down/],
    [{ status: 502, body: '<html>' }, /HTTP 502: an answer that is not JSON/],
    [{ status: 200, body: '{"token_type":"Bearer"}' }, /HTTP 200 without access_token/],
    [{ status: 200, body: '{"access_token":"t"}' }, /HTTP 200 without access_token/],
  ])('error %#', (answer, message) => {
    const call = () => accessTokenFrom('X', answer, at, ['s3cr3t-value']);
    expect(call).toThrow(CredentialError);
    expect(call).toThrow(message);
  });

  it('maps a scope to the resource the managed-identity endpoints want', () => {
    expect(resourceOf(SCOPE)).toBe('https://monitor.azure.com');
    expect(resourceOf(['https://monitor.azure.com//.default'])).toBe('https://monitor.azure.com/');
  });
});

describe('credential names', () => {
  class MyCredential {
    async getToken() {
      return null;
    }
  }
  it('names every source', () => {
    const builtIn = selectBuiltIn({ ...APP, AZURE_CLIENT_SECRET: 'x' }, notVm).credential;
    expect(new TokenProvider({}, SCOPE).credentialName).toBe('DefaultAzureCredential');
    expect(new TokenProvider({ token: 't' }, SCOPE).credentialName).toBe('StaticToken');
    expect(new TokenProvider({ builtIn }, SCOPE).credentialName).toBe('ClientSecret');
    expect(new TokenProvider({ credential: new MyCredential() }, SCOPE).credentialName).toBe(
      'MyCredential',
    );
    const literal = { getToken: async () => null };
    expect(new TokenProvider({ credential: literal }, SCOPE).credentialName).toBe(
      'TokenCredential',
    );
  });
});

describe('each built-in flow against the emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await emulator({ tokenLifetimeSec: 86_400 });
  });
  afterAll(() => emu.stop());
  beforeEach(() => emu.reset());

  /** The built-in credential of an emulator identity, and what its env holds. */
  function builtIn(identity: 'app-service' | 'workload' | 'client-secret' | 'imds') {
    const env = emu.env({ identity });
    const { credential, problems } = selectBuiltIn(env, notVm);
    expect(problems).toEqual([]);
    return { credential: credential as NamedCredential, env };
  }

  it.each([
    ['app-service', 'ManagedIdentity (App Service)'],
    ['workload', 'WorkloadIdentity'],
    ['client-secret', 'ClientSecret'],
    ['imds', 'IMDS'],
  ] as const)('%s: a token the ingestion call accepts, refreshed early', async (identity, name) => {
    const { credential } = builtIn(identity);
    expect(credential.credentialName).toBe(name);
    const token = await credential.getToken(SCOPE);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 86_000_000);
    expect(token.refreshAfterTimestamp).toBeLessThan(token.expiresOnTimestamp);
    const { client, failures } = clientFor(emu, { token: undefined, credential });
    expect(client.credentialName).toBe(name);
    const issued = emu.counters().tokensIssued;
    client.push(record(1, `via ${identity}`));
    expect((await client.flush()).delivered).toBe(1);
    expect(failures).toEqual([]);
    expect(emu.rows(TABLE).map((r) => r.Message)).toEqual([`via ${identity}`]);
    expect(emu.counters().tokensIssued).toBe(issued + 1);
    await client.close();
  });

  it('a user-assigned identity: AZURE_CLIENT_ID goes along as client_id', async () => {
    const env = { ...emu.env({ identity: 'app-service' }), AZURE_CLIENT_ID: 'uami-1' };
    const credential = selectBuiltIn(env, notVm).credential!;
    expect((await credential.getToken(SCOPE)).token.split('.')).toHaveLength(3);
  });

  it('a token for another resource is refused by ingestion (the audience follows the scope)', async () => {
    const { credential } = builtIn('client-secret');
    const other = await credential.getToken('https://management.azure.com/.default');
    const { client, failures } = clientFor(emu, { token: other.token, maxRetries: 0 });
    client.push(record(1));
    await client.flush();
    expect((failures[0]?.error as IngestionError | undefined)?.status).toBe(401);
    await client.close();
  });

  it('reports refusals by the token endpoint without the secret', async () => {
    const { env } = builtIn('client-secret');
    const wrong = { ...env, AZURE_CLIENT_SECRET: 'wrong-s3cr3t' };
    const call = selectBuiltIn(wrong, notVm).credential!.getToken(SCOPE);
    await expect(call).rejects.toThrow(/^ClientSecret: HTTP 401: invalid_client: AADSTS7000215/);
    const error = (await call.catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('wrong-s3cr3t');
    expect(error.message).not.toContain(env.AZURE_CLIENT_SECRET);

    const tenant = selectBuiltIn({ ...env, AZURE_TENANT_ID: 'other-tenant' }, notVm).credential!;
    await expect(tenant.getToken(SCOPE)).rejects.toThrow(/HTTP 400: invalid_request: AADSTS90002/);
  });

  it('workload identity reads the federated token file at each request', async () => {
    const { env, credential } = builtIn('workload');
    const file = env.AZURE_FEDERATED_TOKEN_FILE!;
    writeFileSync(file, 'not-a-jwt');
    await expect(credential.getToken(SCOPE)).rejects.toThrow(/AADSTS50027/);
    emu.env({ identity: 'workload' }); // rewrites the file, as kubelet rotates it
    await expect(credential.getToken(SCOPE)).resolves.toMatchObject({ token: expect.any(String) });
    writeFileSync(file, '  \n');
    await expect(credential.getToken(SCOPE)).rejects.toThrow(
      /AZURE_FEDERATED_TOKEN_FILE .* is empty/,
    );
    rmSync(file);
    await expect(credential.getToken(SCOPE)).rejects.toThrow(/cannot be read \(ENOENT\)/);
  });

  it('an endpoint that does not answer fails with the credential and address named', async () => {
    const credential = selectBuiltIn(
      { IDENTITY_ENDPOINT: 'http://127.0.0.1:1/msi/token', IDENTITY_HEADER: 'secret-header' },
      notVm,
    ).credential!;
    const error = (await credential.getToken(SCOPE).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(CredentialError);
    expect(error.message).toBe(
      'ManagedIdentity (App Service): http://127.0.0.1:1/msi/token failed: ECONNREFUSED',
    );
  });

  it('a wrong IDENTITY_HEADER is refused and not echoed', async () => {
    const env = { ...emu.env({ identity: 'app-service' }), IDENTITY_HEADER: 'wrong-header-value' };
    const error = (await selectBuiltIn(env, notVm)
      .credential!.getToken(SCOPE)
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/^ManagedIdentity \(App Service\): HTTP 401/);
    expect(error.message).not.toContain('wrong-header-value');
  });
});
