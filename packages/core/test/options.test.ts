import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_VARS, resolveConfig } from '../src/config/resolve.js';
import { type ConfigProblem, ConfigurationError } from '../src/errors.js';
import type { IngestionOptions, TokenCredential } from '../src/types.js';

const RULE = 'dcr-0123456789abcdef0123456789abcdef';
const ENDPOINT = 'https://my-dce-a1b2.westeurope-1.ingest.monitor.azure.com';
const DEST = { endpoint: ENDPOINT, ruleId: RULE, streamName: 'Custom-AppLogs' } as const;
const URL_ = `${ENDPOINT}/dataCollectionRules/${RULE}/streams/Custom-AppLogs`;
const credential: TokenCredential = { getToken: async () => null };

/** The ConfigurationError thrown by resolveConfig (fails the test when none is thrown). */
function problemsOf(options: unknown, env: Record<string, string> = {}): ConfigurationError {
  try {
    resolveConfig(options as IngestionOptions, env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return e as ConfigurationError;
  }
  throw new Error('expected a ConfigurationError');
}
const optionsIn = (e: ConfigurationError) => e.problems.map((p: ConfigProblem) => p.option);

describe('resolveConfig: valid configurations', () => {
  it('applies the documented defaults', () => {
    const { config } = resolveConfig(DEST, {});
    expect(config).toEqual({
      url: `${URL_}?api-version=2023-01-01`,
      ...DEST,
      shards: [{ url: `${URL_}?api-version=2023-01-01`, ...DEST, apiVersion: '2023-01-01' }],
      audience: 'https://monitor.azure.com',
      scope: 'https://monitor.azure.com/.default',
      apiVersion: '2023-01-01',
      auth: 'default-credential',
      maxBatchBytes: 1_048_576,
      maxBatchRecords: 0,
      flushIntervalMs: 2000,
      maxConcurrency: 4,
      maxRetries: undefined,
      maxRetryTimeMs: 600_000,
      retryBaseMs: 500,
      retryMaxMs: 30_000,
      requestTimeoutMs: 30_000,
      tokenTimeoutMs: 30_000,
      closeTimeoutMs: 8000,
      maxBufferBytes: 67_108_864,
      overflow: 'drop-oldest',
      gzipLevel: 1,
      maxDepth: 10,
      recordIdColumn: undefined,
      fieldColumns: undefined,
      dcrFile: undefined,
      warnings: true,
      warningIntervalMs: 30_000,
      userAgent: undefined,
      spoolDir: undefined,
      spoolMaxBytes: 1_073_741_824,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('splits a whole stream URL (with api-version)', () => {
    const { config } = resolveConfig({ url: `${URL_}?api-version=2023-04-01-preview` }, {});
    expect(config).toMatchObject({ ...DEST, apiVersion: '2023-04-01-preview' });
    expect(config.url).toBe(`${URL_}?api-version=2023-04-01-preview`);
  });

  it('reads everything from the environment', () => {
    const env = {
      [ENV_VARS.url]: URL_,
      [ENV_VARS.maxBatchBytes]: '2048',
      [ENV_VARS.overflow]: 'DROP-NEWEST',
      [ENV_VARS.warnings]: 'off',
      [ENV_VARS.recordId]: 'true',
      [ENV_VARS.token]: 'tok',
      [ENV_VARS.maxBufferBytes]: '1_000_000',
      [ENV_VARS.audience]: 'https://monitor.azure.us/',
    };
    const s = resolveConfig({}, env);
    expect(s.config).toMatchObject({ ...DEST, maxBatchBytes: 2048, overflow: 'drop-newest' });
    expect(s.config).toMatchObject({ warnings: false, recordIdColumn: 'RecordId', auth: 'token' });
    expect(s.config.maxBufferBytes).toBe(1_000_000);
    expect(s.config.scope).toBe('https://monitor.azure.us/.default');
    expect(s.token).toBe('tok');
  });

  it('prefers explicit options over the environment, per option', () => {
    const env = {
      [ENV_VARS.url]: URL_,
      [ENV_VARS.maxBatchBytes]: 'garbage that is never read',
      [ENV_VARS.flushIntervalMs]: '50',
    };
    const { config } = resolveConfig({ streamName: 'Custom-Other', maxBatchBytes: 4096 }, env);
    expect(config.streamName).toBe('Custom-Other'); // narrows the environment's URL
    expect(config.endpoint).toBe(ENDPOINT);
    expect(config.maxBatchBytes).toBe(4096);
    expect(config.flushIntervalMs).toBe(50);
  });

  it('treats blank environment values and undefined options as unset', () => {
    const env = { [ENV_VARS.maxRetries]: '  ', [ENV_VARS.endpoint]: '' };
    const { config } = resolveConfig(
      { ...DEST, maxRetries: undefined } as unknown as IngestionOptions,
      env,
    );
    expect(config.maxRetries).toBeUndefined();
  });

  it.each([
    ['http://localhost:8080', 'http://localhost:8080'],
    ['http://127.0.0.1:1234/', 'http://127.0.0.1:1234'],
    ['http://127.10.20.30', 'http://127.10.20.30'],
    ['http://[::1]:99', 'http://[::1]:99'],
    [
      'HTTPS://My-DCE.WestEurope-1.Ingest.Monitor.Azure.com/',
      'https://my-dce.westeurope-1.ingest.monitor.azure.com',
    ],
    ['https://host:443/prefix/', 'https://host/prefix'],
  ])('accepts and normalises endpoint %s', (endpoint, expected) => {
    expect(resolveConfig({ ...DEST, endpoint }, {}).config.endpoint).toBe(expected);
  });

  it('accepts url and parts that agree', () => {
    const { config } = resolveConfig({ url: URL_, ...DEST, endpoint: `${ENDPOINT}/` }, {});
    expect(config.ruleId).toBe(RULE);
  });

  it.each([
    [{ credential }, 'credential'],
    [{ token: 'abc.def' }, 'token'],
    [{}, 'default-credential'],
  ] as const)('auth mode for %o', (extra, auth) => {
    const s = resolveConfig({ ...DEST, ...extra }, {});
    expect(s.config.auth).toBe(auth);
    expect(s.credential).toBe('credential' in extra ? credential : undefined);
  });

  it('an explicit credential wins over a token from the environment', () => {
    const s = resolveConfig({ ...DEST, credential }, { [ENV_VARS.token]: 'env-token' });
    expect(s.config.auth).toBe('credential');
    expect(s.token).toBeUndefined();
  });

  it.each([
    [true, 'RecordId'],
    [false, undefined],
    ['DedupId', 'DedupId'],
    ['false', undefined],
  ] as const)('recordId %o → column %o', (recordId, column) => {
    expect(resolveConfig({ ...DEST, recordId }, {}).config.recordIdColumn).toBe(column);
  });

  it('passes callbacks through', () => {
    const warn = () => {};
    const onError = () => {};
    const s = resolveConfig({ ...DEST, warn, onError }, {});
    expect(s.warn).toBe(warn);
    expect(s.onError).toBe(onError);
  });
});

describe('resolveConfig: one error listing every problem', () => {
  it('lists every problem together, each with its env var and fix', () => {
    const e = problemsOf(
      {
        url: 'https://example.com/not/a/stream',
        endpoint: 'http://example.com',
        ruleId: 'my-dcr-name',
        streamName: 'AppLogs_CL',
        audience: 'http://monitor.azure.com',
        maxBatchBytes: 2_000_000,
        maxConcurrency: 0,
        overflow: 'drop-random',
        warnings: 'maybe',
        recordId: '1bad',
        maxBatchByte: 5,
        onError: 'not a function',
        credential: { nope: true },
      },
      { [ENV_VARS.flushIntervalMs]: '12abc', [ENV_VARS.maxRetries]: '1.5' },
    );
    expect(optionsIn(e).sort()).toEqual(
      [
        'url',
        'endpoint',
        'ruleId',
        'streamName',
        'audience',
        'maxBatchBytes',
        'maxConcurrency',
        'overflow',
        'warnings',
        'recordId',
        'maxBatchByte',
        'onError',
        'credential',
        'flushIntervalMs',
        'maxRetries',
      ].sort(),
    );
    expect(e.code).toBe('ERR_INGESTION_CONFIG');
    expect(e.name).toBe('ConfigurationError');
    const lines = e.message.split('\n');
    expect(lines[0]).toMatch(/15 problems/);
    expect(lines).toHaveLength(16);
    expect(e.message).toContain('flushIntervalMs [env AZURE_LOGS_INGESTION_FLUSH_INTERVAL_MS]');
    expect(e.message).toContain('"12abc" from AZURE_LOGS_INGESTION_FLUSH_INTERVAL_MS');
    expect(e.message).toContain('did you mean "maxBatchBytes"?');
    expect(e.message).toContain('immutable id');
    expect(e.message).toMatch(/plain http:\/\/ to a non-loopback host/);
    for (const line of lines.slice(1)) expect(line).toMatch(/Fix: /);
  });

  it('reports missing destination parts', () => {
    const e = problemsOf({}, {});
    expect(optionsIn(e)).toEqual(['endpoint', 'ruleId', 'streamName']);
    expect(e.problems[0]!.envVar).toBe('AZURE_LOGS_INGESTION_ENDPOINT');
  });

  it.each([['12abc'], ['1.5'], ['0x10'], ['1e3'], ['12 34'], ['-'], ['Infinity']])(
    'rejects the env number %o',
    (value) => {
      const e = problemsOf(DEST, { [ENV_VARS.maxRetries]: value });
      expect(e.problems).toEqual([
        expect.objectContaining({ option: 'maxRetries', value, source: 'env' }),
      ]);
    },
  );

  it.each([
    ['maxBatchBytes', 1023],
    ['maxBatchBytes', 1_048_577],
    ['flushIntervalMs', 9],
    ['maxConcurrency', 65],
    ['maxRetries', -1],
    ['maxRetries', 1001],
    ['maxRetryTimeMs', -1],
    ['maxRetryTimeMs', 604_800_001],
    ['tokenTimeoutMs', 0],
    ['gzipLevel', 10],
    ['maxDepth', 0],
    ['maxBatchBytes', Number.NaN],
    ['maxBatchBytes', 1024.5],
    ['maxBatchBytes', '2048x'],
    ['maxBatchBytes', true],
  ] as const)('rejects %s = %o', (option, value) => {
    expect(optionsIn(problemsOf({ ...DEST, [option]: value }))).toEqual([option]);
  });

  it('rejects retryBaseMs above retryMaxMs', () => {
    expect(optionsIn(problemsOf({ ...DEST, retryBaseMs: 5000, retryMaxMs: 1000 }))).toEqual([
      'retryBaseMs',
    ]);
  });

  it.each([
    ['not a url'],
    ['http://10.0.0.1'],
    ['http://localhost.evil.com'],
    ['ftp://example.com'],
    ['https://user:pw@example.com'],
    ['https://example.com/#x'],
    ['https://example.com/?a=1'],
    [`${ENDPOINT}/dataCollectionRules/${RULE}/streams/Custom-X`],
  ])('rejects endpoint %s', (endpoint) => {
    expect(optionsIn(problemsOf({ ...DEST, endpoint }))).toEqual(['endpoint']);
  });

  it.each([
    [`${ENDPOINT}/dataCollectionRules/${RULE}`],
    [`${ENDPOINT}/dataCollectionRules/dcr-xyz/streams/Custom-A`],
    [`${ENDPOINT}/dataCollectionRules/${RULE}/streams/AppLogs`],
    [`${URL_}?api-version=2023-01-01&sig=1`],
    [`${URL_}?api-version=yesterday`],
    [`http://example.com/dataCollectionRules/${RULE}/streams/Custom-A`],
  ])('rejects url %s', (url) => {
    expect(optionsIn(problemsOf({ url }))).toEqual(['url']);
  });

  it.each([
    ['ruleId', { ...DEST, ruleId: 'dcr-0123456789ABCDEF0123456789ABCDEF' }, /lower case/],
    ['ruleId', { ...DEST, ruleId: '/subscriptions/x/resourceGroups/y' }, /resource id/],
    ['streamName', { ...DEST, streamName: 'custom-x' }, /Custom- or Microsoft-/],
    ['streamName', { ...DEST, streamName: 'Custom-a b' }, /spaces/],
    [
      'audience',
      { ...DEST, audience: 'https://monitor.azure.com/.default' },
      /without \/\.default/,
    ],
    ['apiVersion', { ...DEST, apiVersion: 'latest' }, /2023-01-01/],
    ['userAgent', { ...DEST, userAgent: 'app\r\nX-Evil: 1' }, /control/],
    ['recordId', { ...DEST, recordId: 'TenantId' }, /reserved/],
    ['streamName', { url: URL_, streamName: 'Custom-Other' }, /disagrees/],
    ['token', { ...DEST, token: 'Bearer abc' }, /Bearer/],
    ['token', { ...DEST, token: 'abc', credential }, /together with credential/],
  ] as const)('explains a bad %s', (option, options, text) => {
    const e = problemsOf(options);
    expect(optionsIn(e)).toEqual([option]);
    expect(e.message).toMatch(text);
  });

  it('rejects options that are not an object', () => {
    expect(optionsIn(problemsOf('url'))).toEqual(['options']);
  });
});

describe('resolveConfig: secrets never appear in messages', () => {
  it.each([
    [{ ...DEST, token: 'Bearer sup3r-s3cret' }, {}],
    [{ ...DEST, credential, token: 'sup3r-s3cret' }, {}],
    [{ ...DEST, tokn: 'sup3r-s3cret' }, {}],
    [DEST, { [ENV_VARS.token]: 'sup3r s3cret' }],
    [{ ...DEST, endpoint: 'https://admin:sup3r-s3cret@example.com/dataCollectionRules/x' }, {}],
    [{ url: `http://me:sup3r-s3cret@10.1.1.1/dataCollectionRules/${RULE}/streams/Custom-A` }, {}],
    [{ url: `${URL_}?api-version=2023-01-01&sig=sup3r-s3cret` }, {}],
  ])('%#', (options, env) => {
    const e = problemsOf(options, env as Record<string, string>);
    expect(e.message).not.toContain('sup3r');
    expect(JSON.stringify(e.problems)).not.toContain('sup3r');
    expect(String(e.stack)).not.toContain('sup3r');
  });
});

describe('ENV_VARS', () => {
  it('matches the env names documented in types.ts', () => {
    const source = readFileSync(new URL('../src/types.ts', import.meta.url), 'utf8');
    const body = source.slice(
      source.indexOf('interface IngestionOptions'),
      source.indexOf('interface ResolvedConfig'),
    );
    const documented: Record<string, string> = {};
    const re = /Env: `(AZURE_LOGS_INGESTION_[A-Z_]+)`[\s\S]*?readonly (\w+)\?/g;
    for (const m of body.matchAll(re)) documented[m[2]!] = m[1]!;
    expect(documented).toEqual({ ...ENV_VARS });
  });
});

describe('resolveConfig: several rules (sharding)', () => {
  const RULE2 = 'dcr-fedcba9876543210fedcba9876543210';
  const ENDPOINT2 = 'https://my-dcr-b2c3.westeurope-1.logs.z1.ingest.monitor.azure.com';
  const URL2 = `${ENDPOINT2}/dataCollectionRules/${RULE2}/streams/Custom-AppLogs`;
  const urls = (c: { shards: readonly { url: string }[] }) => c.shards.map((s) => s.url);

  it('spreads over several rule ids of one endpoint and stream (array, or commas in the env)', () => {
    const both = [RULE, RULE2];
    const fromArray = resolveConfig({ ...DEST, ruleId: both }, {}).config;
    const fromEnv = resolveConfig(
      { endpoint: ENDPOINT, streamName: 'Custom-AppLogs' },
      { [ENV_VARS.ruleId]: ` ${RULE} , ${RULE2} ` },
    ).config;
    for (const config of [fromArray, fromEnv]) {
      expect(urls(config)).toEqual([
        `${URL_}?api-version=2023-01-01`,
        `${ENDPOINT}/dataCollectionRules/${RULE2}/streams/Custom-AppLogs?api-version=2023-01-01`,
      ]);
      // The single-rule fields are the first rule's.
      expect(config).toMatchObject({ ruleId: RULE, url: `${URL_}?api-version=2023-01-01` });
    }
  });

  it('spreads over several whole stream URLs, each with its own endpoint and api-version', () => {
    const { config } = resolveConfig(
      {},
      { [ENV_VARS.url]: `${URL_}?api-version=2023-04-01-preview,${URL2}` },
    );
    expect(config.shards).toEqual([
      { ...DEST, url: `${URL_}?api-version=2023-04-01-preview`, apiVersion: '2023-04-01-preview' },
      {
        endpoint: ENDPOINT2,
        ruleId: RULE2,
        streamName: 'Custom-AppLogs',
        url: `${URL2}?api-version=2023-01-01`,
        apiVersion: '2023-01-01',
      },
    ]);
  });

  it('lets an explicit part narrow every URL listed in the environment', () => {
    const { config } = resolveConfig(
      { streamName: 'Custom-Other' },
      { [ENV_VARS.url]: `${URL_},${URL2}` },
    );
    expect(config.shards.map((s) => s.streamName)).toEqual(['Custom-Other', 'Custom-Other']);
  });

  it('keeps one value as one rule, as before', () => {
    expect(resolveConfig(DEST, {}).config.shards).toHaveLength(1);
    expect(resolveConfig({ url: URL_ }, {}).config.shards).toHaveLength(1);
  });

  it.each([
    [{ ...DEST, ruleId: `${RULE},,${RULE2}` }, 'ruleId', /has an empty entry/],
    [{ ...DEST, ruleId: [RULE, 42] }, 'ruleId', /has an empty entry/],
    [{ ...DEST, ruleId: { a: RULE } }, 'ruleId', /is not a string or an array of strings/],
    [{ ...DEST, ruleId: [RULE, 'my-dcr'] }, 'ruleId', /^entry 2: is not a DCR immutable id/],
    [{ url: [URL_, 'https://x.example/nope'] }, 'url', /^entry 2: is not a stream URL/],
    [
      { ...DEST, ruleId: [RULE, RULE] },
      'ruleId',
      /lists the rule dcr-0123456789abcdef0123456789abcdef twice/,
    ],
    [{ url: [URL_, `${URL_}/`] }, 'url', /twice/],
    [{ ...DEST, ruleId: Array(17).fill(RULE) }, 'ruleId', /lists 17 entries \(at most 16\)/],
    [{ url: [URL_, URL2], ruleId: RULE }, 'ruleId', /is given beside several rules/],
  ])('refuses %j naming %s', (options, option, problem) => {
    const e = problemsOf(options);
    expect(optionsIn(e)).toEqual([option]);
    expect(e.problems[0]?.problem).toMatch(problem);
  });

  it('refuses rule ids and URLs listed in different numbers at different levels', () => {
    const e = problemsOf({ ruleId: [RULE, RULE2] }, { [ENV_VARS.url]: `${URL_},${URL2},${URL_}x` });
    expect(e.problems.map((p) => p.problem).join('\n')).toMatch(/lists 2 rules while url lists/);
  });
});
