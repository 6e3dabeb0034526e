import { describe, expect, it } from 'vitest';
import { describeServiceError, hintFor } from '../src/delivery/service-answer.js';
import { ConfigurationError, ErrorCodes, IngestionError } from '../src/errors.js';

describe('IngestionError', () => {
  it('carries code, details and cause; only given details become properties', () => {
    const cause = new Error('socket hang up');
    const e = new IngestionError(ErrorCodes.FORBIDDEN, 'forbidden', {
      status: 403,
      serviceCode: 'OperationFailed',
      requestId: 'req-1',
      clientRequestId: 'c-1',
      recordCount: 12,
      hint: 'h',
      cause,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({
      name: 'IngestionError',
      code: 'ERR_INGESTION_FORBIDDEN',
      status: 403,
    });
    expect(e).toMatchObject({
      serviceCode: 'OperationFailed',
      requestId: 'req-1',
      clientRequestId: 'c-1',
    });
    expect(e).toMatchObject({ recordCount: 12, hint: 'h', cause });
    const bare = new IngestionError(ErrorCodes.CLOSED, 'closed');
    expect(bare.recordCount).toBe(0);
    expect(Object.keys(bare).sort()).toEqual(['code', 'name', 'recordCount']);
    expect('cause' in bare).toBe(false);
  });

  it('has stable, unique codes', () => {
    const codes = Object.values(ErrorCodes);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^ERR_INGESTION_[A-Z_]+$/);
  });
});

describe('ConfigurationError', () => {
  it('lists each problem on its own line with env var, value and fix', () => {
    const e = new ConfigurationError([
      {
        option: 'maxRetries',
        envVar: 'AZURE_LOGS_INGESTION_MAX_RETRIES',
        value: '1x',
        source: 'env',
        problem: 'is not a whole number',
        fix: 'use 0 … 50',
      },
      {
        option: 'token',
        envVar: 'AZURE_LOGS_INGESTION_TOKEN',
        value: 'secret!',
        problem: 'bad',
        fix: 'f',
      },
      { option: 'ruleId', problem: 'is missing', fix: 'set it' },
      { option: 'endpoint', value: 'x'.repeat(500), problem: 'p', fix: 'f' },
    ]);
    const lines = e.message.split('\n');
    expect(lines[0]).toBe('Invalid Azure Logs Ingestion configuration (4 problems):');
    expect(lines[1]).toBe(
      '  - maxRetries [env AZURE_LOGS_INGESTION_MAX_RETRIES]: is not a whole number (got "1x" from AZURE_LOGS_INGESTION_MAX_RETRIES). Fix: use 0 … 50',
    );
    expect(lines[2]).toContain('(got <redacted>)');
    expect(e.message).not.toContain('secret!');
    expect(lines[3]).toBe('  - ruleId: is missing. Fix: set it');
    expect(lines[4]!.length).toBeLessThan(200);
    expect(e).toMatchObject({ name: 'ConfigurationError', code: ErrorCodes.CONFIG });
    expect(e).toBeInstanceOf(IngestionError);
    expect(Object.isFrozen(e.problems)).toBe(true);
  });

  it('shows odd values without throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const e = new ConfigurationError([
      { option: 'a', value: cyclic, problem: 'p', fix: 'f' },
      { option: 'b', value: 10n, problem: 'p', fix: 'f' },
      { option: 'c', value: () => 1, problem: 'p', fix: 'f' },
    ]);
    expect(e.message.split('\n')).toHaveLength(4);
  });
});

describe('hintFor', () => {
  it.each([
    [401, undefined, /audience/],
    [401, 'InvalidAudience', /monitor\.azure\.us/],
    [403, undefined, /Monitoring Metrics Publisher.*30 minutes/],
    [404, undefined, /immutable id.*region.*stream/],
    [413, undefined, /1,048,576/],
    [400, undefined, /column names.*JSON array/],
    [429, undefined, /12,000 requests\/min and 2 GB\/min/],
  ] as const)('%i %s', (status, code, re) => {
    expect(hintFor(status, code)).toMatch(re);
  });
  it('has nothing to say about other statuses', () => {
    expect(hintFor(500)).toBeUndefined();
    expect(hintFor(undefined)).toBeUndefined();
  });
});

describe('describeServiceError', () => {
  const json = JSON.stringify({
    error: { code: 'InvalidAudience', message: 'The audience is wrong.' },
  });
  it.each([
    [
      'JSON body',
      {},
      json,
      { serviceCode: 'InvalidAudience', serviceMessage: 'The audience is wrong.' },
    ],
    [
      'header wins',
      { 'X-MS-Error-Code': 'FromHeader' },
      json,
      { serviceCode: 'FromHeader', serviceMessage: 'The audience is wrong.' },
    ],
    ['header array', { 'x-ms-error-code': ['A', 'B'] }, '', { serviceCode: 'A' }],
    [
      'bare JSON error',
      {},
      '{"code":"NotFound","message":"no"}',
      { serviceCode: 'NotFound', serviceMessage: 'no' },
    ],
    ['empty', {}, '', {}],
    ['JSON without error', {}, '[1,2]', {}],
    ['JSON null', {}, 'null', {}],
    ['plain text', {}, '  Service   Unavailable \n', { serviceMessage: 'Service Unavailable' }],
    [
      'HTML',
      {},
      '<html><head><title>400 Bad Request</title><style>p{x:1}</style><script>evil()</script></head><body><h1>Bad&nbsp;Request</h1><!-- c --></body></html>',
      { serviceMessage: '400 Bad Request Bad Request' },
    ],
  ])('%s', (_n, headers, body, expected) => {
    expect(describeServiceError(400, headers, body)).toEqual(expected);
  });

  it('clips long messages and never throws on hostile input', () => {
    const long = describeServiceError(500, {}, 'x'.repeat(10_000));
    expect(long.serviceMessage!.length).toBeLessThanOrEqual(301);
    const evil = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no');
        },
      },
    );
    expect(() => describeServiceError(500, evil, '{')).not.toThrow();
    expect(() => describeServiceError(500, {}, undefined as unknown as string)).not.toThrow();
  });
});
