/**
 * "Done when" of the small-install issue: an app on App Service / Functions / Container Apps,
 * AKS with workload identity, a service principal or a VM sends logs with environment
 * variables alone and no other package. Each flow runs in a child process, in a folder where
 * only the packed packages are installed (test/helpers/packed.ts), against the emulator's
 * endpoints for that flow. With @azure/identity added, the same app uses DefaultAzureCredential.
 * No token or secret may appear in anything the app prints.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Emulator, type EmulatorIdentity, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, packedInstall, withIdentity } from './helpers/packed.js';

const TABLE = 'AppLogs_CL';
const AZURE_ASSET_TAG = '7783-7084-3265-9085-8269-3286-77';
/** On an Azure VM (a CI runner, say) the built-in credential rightly picks IMDS: no "none applies". */
const onAzureVm = (() => {
  try {
    return readFileSync('/sys/class/dmi/id/chassis_asset_tag', 'utf8').trim() === AZURE_ASSET_TAG;
  } catch {
    return false;
  }
})();
const JWT = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;
let emu: Emulator;
let winstonDir: string;
let pinoDir: string;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  [winstonDir, pinoDir] = await Promise.all([packedInstall('winston'), packedInstall('pino')]);
}, 240_000);
beforeEach(() => emu.reset());
afterAll(() => emu.stop());

interface Run {
  code: number | string;
  stdout: string;
  stderr: string;
  /** The app's JSON result line. */
  result?: { credential: string; delivered?: number };
}

/** Variables of the test process that would change which credential applies. */
const AUTH_VARS = /^(AZURE_|IDENTITY_|MSI_|IMDS_)/;

/** Runs an app of test/fixtures/packed-apps in `dir` with `env` as its only Azure settings. */
function runApp(
  dir: string,
  app: string,
  env: Record<string, string>,
  arg = 'hello',
): Promise<Run> {
  const base = cleanEnv();
  for (const key of Object.keys(base)) if (AUTH_VARS.test(key)) delete base[key];
  const proc = spawn(process.execPath, [join(dir, app), arg], {
    cwd: dir,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => {
    // Bound: the app closes its transport (closeTimeoutMs 8 s by default) and exits.
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      const result = line.startsWith('{') ? JSON.parse(line) : undefined;
      resolve({ code: code ?? signal ?? 'unknown', stdout, stderr, result });
    });
  });
}

/** Every secret of the environment: none may be printed, nor any token. */
function expectNoSecrets(run: Run, env: Record<string, string>) {
  const output = run.stdout + run.stderr;
  const secrets = [env.IDENTITY_HEADER, env.AZURE_CLIENT_SECRET];
  if (env.AZURE_FEDERATED_TOKEN_FILE) {
    secrets.push(readFileSync(env.AZURE_FEDERATED_TOKEN_FILE, 'utf8').trim());
  }
  for (const s of secrets) if (s) expect(output).not.toContain(s);
  expect(output).not.toMatch(JWT);
}

/** The destination variables alone: no token, no credential variables. */
function destinationOnly(extra: Record<string, string>): Record<string, string> {
  const env = { ...emu.env(), ...extra };
  delete env.AZURE_LOGS_INGESTION_TOKEN;
  return env;
}

const FLOWS: Array<[EmulatorIdentity, string]> = [
  ['app-service', 'ManagedIdentity (App Service)'],
  ['workload', 'WorkloadIdentity'],
  ['client-secret', 'ClientSecret'],
  ['imds', 'IMDS'],
];

describe('without @azure/identity: the built-in credential, from the environment alone', () => {
  it.each(FLOWS)('%s: winston delivers with %s', async (identity, name) => {
    const env = emu.env({ identity });
    const run = await runApp(winstonDir, 'winston-app.mjs', env, `via ${identity}`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toEqual({ credential: name, delivered: 1 });
    expect(emu.rows(TABLE).map((r) => r.Message)).toEqual([`via ${identity}`]);
    expect(emu.counters().tokensIssued).toBe(1);
    expectNoSecrets(run, env);
  });

  it('CommonJS: winston delivers with the App Service managed identity', async () => {
    const env = emu.env({ identity: 'app-service' });
    const run = await runApp(winstonDir, 'winston-app.cjs', env, 'via CommonJS');
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toEqual({ credential: 'ManagedIdentity (App Service)', delivered: 1 });
    expect(emu.rows(TABLE).map((r) => r.Message)).toEqual(['via CommonJS']);
    expectNoSecrets(run, env);
  });

  it('pino (worker thread) delivers with workload identity', async () => {
    const env = emu.env({ identity: 'workload' });
    const run = await runApp(pinoDir, 'pino-app.mjs', env, 'pino via workload');
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toEqual({ credential: 'WorkloadIdentity' });
    expect(emu.rows(TABLE).map((r) => r.Message)).toEqual(['pino via workload']);
    expectNoSecrets(run, env);
  });

  it('a refused secret is reported without the secret', async () => {
    const env = {
      ...emu.env({ identity: 'client-secret' }),
      AZURE_CLIENT_SECRET: 'wrong~s3cr3t~value',
      AZURE_LOGS_INGESTION_MAX_RETRIES: '0',
    };
    const run = await runApp(winstonDir, 'winston-app.mjs', env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /onError ERR_INGESTION_CREDENTIAL: .*ClientSecret: HTTP 401: invalid_client: AADSTS7000215/,
    );
    expect(emu.rows(TABLE)).toEqual([]);
    expectNoSecrets(run, env);
  });

  it.skipIf(onAzureVm)('fails at construction, in one line, when no flow applies', async () => {
    const env = destinationOnly({
      AZURE_CLIENT_SECRET: 'half~configured~s3cr3t',
      AZURE_CLIENT_ID: 'c',
    });
    const run = await runApp(winstonDir, 'winston-app.mjs', env);
    const lines = run.stderr.trim().split('\n');
    expect(run.code).toBe(3);
    expect(lines).toEqual([
      'construction failed: ERR_INGESTION_CONFIG',
      'Invalid Azure Logs Ingestion configuration (1 problem):',
      expect.stringMatching(
        /^ {2}- credential: is not given, @azure\/identity is not installed, and no built-in credential applies .*; AZURE_CLIENT_SECRET is set without AZURE_TENANT_ID\. Fix: install @azure\/identity \(npm i @azure\/identity\) for the full chain with Azure CLI and developer logins, or pass a credential, or set the variables of one built-in flow$/,
      ),
    ]);
    expectNoSecrets(run, env);
    const pino = await runApp(pinoDir, 'pino-app.mjs', env);
    expect(pino.code).toBe(3);
    expect(pino.stderr).toContain('no built-in credential applies');
  });
});

describe('with @azure/identity installed: DefaultAzureCredential, as before', () => {
  let dir: string;
  beforeAll(() => {
    dir = withIdentity(winstonDir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['app-service', 'imds'] as const)(
    '%s: delivered by DefaultAzureCredential',
    async (identity) => {
      const env = emu.env({ identity });
      const run = await runApp(dir, 'winston-app.mjs', env, `dac via ${identity}`);
      expect(run.code, run.stderr).toBe(0);
      expect(run.result).toEqual({ credential: 'DefaultAzureCredential', delivered: 1 });
      expect(emu.rows(TABLE).map((r) => r.Message)).toEqual([`dac via ${identity}`]);
      expectNoSecrets(run, env);
    },
  );

  it('CommonJS: DefaultAzureCredential too', async () => {
    const env = emu.env({ identity: 'app-service' });
    const run = await runApp(dir, 'winston-app.cjs', env, 'dac via CommonJS');
    expect(run.code, run.stderr).toBe(0);
    expect(run.result).toEqual({ credential: 'DefaultAzureCredential', delivered: 1 });
  });

  it('does not fail at construction where no built-in flow applies', async () => {
    // DefaultAzureCredential, kept to its production credentials (no developer logins are
    // tried on this machine), finds nothing either: a delivery failure, not a construction
    // error, exactly as before @azure/identity became optional.
    const env = destinationOnly({
      AZURE_LOGS_INGESTION_MAX_RETRIES: '0',
      AZURE_TOKEN_CREDENTIALS: 'prod',
    });
    const run = await runApp(dir, 'winston-app.mjs', env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/onError ERR_INGESTION_CREDENTIAL/);
  });
});
