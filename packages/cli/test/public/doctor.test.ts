/**
 * `azure-ingestion doctor` against the emulator, each failure injected: the sentence it says,
 * the fix, and the exit status (0 only when the probe was accepted and nothing else failed).
 */
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, DEFAULT_DECLARATION, dcr, tempDir } from '../helpers.js';

const RULE = `dcr-${'3'.repeat(32)}`;
const STREAM = 'Custom-Orders';
/** The stream lacks Host; DurationMs is an int column. */
const ORDERS = dcr(RULE, STREAM, [
  ...DEFAULT_DECLARATION.filter(([name]) => name !== 'Host'),
  ['DurationMs', 'int'],
]);

const file = tempDir();
let emu: Emulator;
let forbidding: Emulator;
let secure: Emulator;
let ordersFile: string;
beforeAll(async () => {
  [emu, forbidding, secure] = await Promise.all([
    startEmulator({ port: 0, dcrs: [ORDERS, defaultDcr()] }),
    startEmulator({ port: 0, forbiddenRules: [RULE], dcrs: [ORDERS] }),
    startEmulator({ port: 0, https: true }),
  ]);
  ordersFile = file('orders-dcr.json', ORDERS);
});
afterAll(() => Promise.all([emu.stop(), forbidding.stop(), secure.stop()]));

/** The emulator's default rule, as a DCR object beside the orders one. */
function defaultDcr() {
  return dcr(`dcr-${'4'.repeat(32)}`, 'Custom-AppLogs', DEFAULT_DECLARATION);
}

const doctor = (env: Record<string, string>, ...args: string[]) => cli(['doctor', ...args], env);

describe('azure-ingestion doctor', () => {
  it('exits 0 when the probe is accepted, naming the credential and the audience', async () => {
    emu.reset();
    const run = await doctor(
      emu.env({ stream: 'Custom-AppLogs', ruleId: `dcr-${'4'.repeat(32)}` }),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /✔ configuration +http:\/\/127\.0\.0\.1:\d+ → dcr-4{32} \/ Custom-AppLogs/,
    );
    expect(run.stdout).toMatch(
      /✔ credential +StaticToken gave a token for https:\/\/monitor\.azure\.com, expires in \d+ min/,
    );
    expect(run.stdout).toMatch(/✔ probe +1 record accepted \(HTTP 204\) in \d+ ms/);
    expect(run.stdout).toMatch(/- pre-flight +no DCR file: give --dcr FILE/);
    expect(run.stdout).toMatch(/The probe was accepted/);
    expect(run.stdout).not.toContain(emu.token());
    expect(emu.rows('AppLogs_CL').map((r) => r.Message)).toEqual([
      'azure-ingestion doctor: probe record',
    ]);
  });

  it('names DefaultAzureCredential and the audience of the token it got, never the token', async () => {
    const env = emu.env({
      stream: 'Custom-AppLogs',
      ruleId: `dcr-${'4'.repeat(32)}`,
      identity: 'app-service',
    });
    const run = await doctor(env, '--json');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      ok: true,
      exitCode: 0,
      token: {
        credential: 'DefaultAzureCredential',
        obtained: true,
        audience: 'https://monitor.azure.com',
      },
      probe: { delivered: true, status: 204 },
    });
    expect(report.checks.map((c: { status: string }) => c.status)).toEqual([
      'ok',
      'ok',
      'ok',
      'skipped',
    ]);
    expect(run.stdout).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT anywhere
  });

  // [case, how the failure is made, exit status, kind, what the sentence and fix must say]
  const FAILURES: [
    string,
    () => { env: Record<string, string>; args?: string[] },
    string,
    RegExp[],
  ][] = [
    [
      '401: a token for another audience',
      () => ({
        env: {
          ...emu.env({ stream: STREAM, ruleId: RULE }),
          AZURE_LOGS_INGESTION_TOKEN: emu.token({ audience: 'https://management.azure.com' }),
        },
      }),
      'audience',
      [
        /it is for https:\/\/management\.azure\.com, and the Logs Ingestion API takes tokens for https:\/\/monitor\.azure\.com/,
        /Fix: Get a token for https:\/\/monitor\.azure\.com/,
      ],
    ],
    [
      '403: the role is missing',
      () => ({ env: forbidding.env({ stream: STREAM, ruleId: RULE }) }),
      'forbidden',
      [
        /may not send to the data collection rule dcr-3{32} \(403\): it needs the Monitoring Metrics Publisher role on that rule, and a new role assignment can take up to 30 minutes to apply/,
        /az role assignment create/,
      ],
    ],
    [
      '404: an unknown rule',
      () => ({ env: emu.env({ stream: STREAM, ruleId: `dcr-${'5'.repeat(32)}` }) }),
      'rule-not-found',
      [
        /No data collection rule dcr-5{32} answers at 127\.0\.0\.1:\d+ \(404 NotFound/,
        /the DCR's immutable id/,
      ],
    ],
    [
      'an unknown stream',
      () => ({ env: emu.env({ stream: 'Custom-Nope', ruleId: RULE }) }),
      'unknown-stream',
      [
        /The rule dcr-3{32} has no stream Custom-Nope \(400 InvalidStream/,
        /Set AZURE_LOGS_INGESTION_STREAM to a stream the DCR declares/,
      ],
    ],
    [
      '413: the body refused as too large',
      () => {
        emu.faults.enqueue({ status: 413, errorCode: 'ContentLengthLimitExceeded' });
        return { env: emu.env({ stream: STREAM, ruleId: RULE }) };
      },
      'too-large',
      [/refused the request as too large \(413 ContentLengthLimitExceeded/, /proxies or gateways/],
    ],
    [
      '429: the rule is throttled',
      () => {
        emu.faults.enqueue({ status: 429, retryAfter: '30', errorCode: 'TooManyRequests' });
        return { env: emu.env({ stream: STREAM, ruleId: RULE }) };
      },
      'throttled',
      [
        /The data collection rule dcr-3{32} is throttled \(429 TooManyRequests/,
        /12,000 requests or 2 GB per minute/,
      ],
    ],
    [
      'DNS: a host that does not exist',
      () => ({
        env: {
          ...emu.env({ stream: STREAM, ruleId: RULE }),
          AZURE_LOGS_INGESTION_ENDPOINT: 'https://dcr-nope-k3p9-westeurope.logs.z1.ingest.invalid',
        },
      }),
      'dns',
      [
        /The host name dcr-nope-k3p9-westeurope\.logs\.z1\.ingest\.invalid was not found \(DNS ENOTFOUND\)/,
        /Check AZURE_LOGS_INGESTION_ENDPOINT/,
      ],
    ],
    [
      'TLS: a certificate not trusted here',
      () => ({ env: secure.env() }),
      'tls',
      [
        /The TLS handshake with 127\.0\.0\.1:\d+ failed \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/,
        /NODE_EXTRA_CA_CERTS/,
      ],
    ],
    [
      'a credential that gives no token in time',
      () => ({
        env: {
          ...emu.env({ stream: STREAM, ruleId: RULE, identity: 'app-service' }),
          AZURE_LOGS_INGESTION_TOKEN_TIMEOUT_MS: '1',
        },
      }),
      'credential',
      [
        /DefaultAzureCredential did not return a token within 1 ms \(tokenTimeoutMs\)/,
        /Fix: DefaultAzureCredential found no working credential/,
      ],
    ],
  ];

  it.each(FAILURES)('%s: one sentence, its fix, exit 1', async (_case, make, kind, says) => {
    const { env, args = [] } = make();
    const human = await doctor(env, ...args);
    expect(human.code).toBe(1);
    for (const pattern of says) expect(human.stdout).toMatch(pattern);
    expect(human.stdout).toMatch(/✖ /);
    expect(human.stdout).toMatch(/Not ready/);
    make(); // the same fault again, for the JSON run
    const json = await doctor(env, '--json');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    const problems = report.checks.flatMap((c: { problems: { kind: string }[] }) => c.problems);
    expect(problems.map((p: { kind: string }) => p.kind)).toContain(kind);
  });

  it('with --dcr, names an undeclared column and a wrong type, with the fix (the probe itself is accepted)', async () => {
    const env = {
      ...emu.env({ stream: STREAM, ruleId: RULE }),
      AZURE_LOGS_INGESTION_FIELD_COLUMNS: 'DurationMs:real=responseTime',
    };
    const run = await doctor(env, '--dcr', ordersFile);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✔ probe +1 record accepted/);
    expect(run.stdout).toMatch(/✖ pre-flight +2 columns would be dropped or nulled by the service/);
    expect(run.stdout).toMatch(
      /Column Host \(the default record's Host column\) is not declared in stream Custom-Orders of .*orders-dcr\.json: the service drops it\./,
    );
    expect(run.stdout).toMatch(
      /Fix: Declare \{"name":"Host","type":"string"\} in the stream and the table/,
    );
    expect(run.stdout).toMatch(
      /Column DurationMs \(field responseTime \(fieldColumns\)\) holds a number but stream Custom-Orders of .* declares it int: the service stores null\./,
    );
    const json = JSON.parse((await doctor(env, '--dcr', ordersFile, '--json')).stdout);
    expect(json.checks[3].problems.map((p: { kind: string }) => p.kind)).toEqual([
      'undeclared-column',
      'wrong-type',
    ]);
  });

  it('with --dcr and a stream that declares every column, the pre-flight passes', async () => {
    const full = file(
      'full-dcr.json',
      dcr(RULE, STREAM, [...DEFAULT_DECLARATION, ['DurationMs', 'real']]),
    );
    const env = {
      ...emu.env({ stream: STREAM, ruleId: RULE }),
      AZURE_LOGS_INGESTION_FIELD_COLUMNS: 'DurationMs:real=responseTime',
      AZURE_LOGS_INGESTION_RECORD_ID: 'true',
    };
    const run = await doctor(env, '--dcr', full);
    expect(run.stdout).toMatch(
      /✔ pre-flight +every column the transports send is declared, with a matching type, in Custom-Orders of/,
    );
    expect(run.code).toBe(0);
  });

  it('exits 2 on an invalid configuration, listing every problem with its variable', async () => {
    const run = await doctor({
      AZURE_LOGS_INGESTION_ENDPOINT: 'http://logs.example.com',
      AZURE_LOGS_INGESTION_RULE_ID: 'my-dcr',
      AZURE_LOGS_INGESTION_STREAM: 'AppLogs',
      AZURE_LOGS_INGESTION_TOKEN: 'secret-token-value',
      AZURE_LOGS_INGESTION_FIELD_COLUMNS: 'Type=t',
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/✖ configuration +4 problems/);
    expect(run.stdout).toMatch(
      /endpoint \(AZURE_LOGS_INGESTION_ENDPOINT\) uses plain http:\/\/ to a non-loopback host/,
    );
    expect(run.stdout).toMatch(/ruleId \(AZURE_LOGS_INGESTION_RULE_ID\) is not a DCR immutable id/);
    expect(run.stdout).toMatch(
      /fieldColumns \(AZURE_LOGS_INGESTION_FIELD_COLUMNS\) Type: is a reserved column name/,
    );
    expect(run.stdout).not.toContain('secret-token-value');
    const dcrMissing = await doctor(
      emu.env({ stream: STREAM, ruleId: RULE }),
      '--dcr',
      '/nonexistent/dcr.json',
    );
    expect(dcrMissing.code).toBe(2);
    expect(dcrMissing.stdout).toMatch(
      /dcrFile \(AZURE_LOGS_INGESTION_DCR_FILE\) cannot read \/nonexistent\/dcr\.json/,
    );
  });

  it('colours only on a terminal, and refuses unknown flags with exit 2', async () => {
    const run = await doctor({
      ...emu.env({ stream: STREAM, ruleId: RULE }),
      NO_COLOR: '',
      FORCE_COLOR: '1',
    });
    expect(run.stdout).not.toContain('\u001b['); // a pipe, not a terminal
    const bad = await doctor({}, '--nope');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown option '--nope'/);
  });
});
