import type { Emulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes, type IngestionError } from '../src/errors.js';
import { clientFor, emulator, ManualClock, record, TABLE, until } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

/** A client on a manual clock: backoff with random 0.5 and base 500 ms is 250 ms, then 500, 1000… */
function setup(options = {}) {
  const clock = new ManualClock();
  return { clock, ...clientFor(emu, { maxRetries: 3, retryMaxMs: 10_000, ...options }, clock) };
}

function push(client: { push(r: object): boolean }, n: number): void {
  for (let i = 0; i < n; i++) client.push(record(i));
}

describe('Retry-After', () => {
  it('waits the seconds a 503 asks for', async () => {
    const { clock, client } = setup();
    emu.faults.enqueue({ status: 503, retryAfter: '3' });
    push(client, 5);
    const flushed = client.flush();
    await until(() => clock.pending(3000).length === 1);
    expect(emu.rows(TABLE)).toHaveLength(0);
    expect(client.stats().bufferedBytes).toBeGreaterThan(0); // retrying records keep their budget
    clock.fire(3000);
    const stats = await flushed;
    expect(stats).toMatchObject({
      delivered: 5,
      retried: 1,
      requests: { 503: 1, 204: 1 },
      bufferedBytes: 0,
    });
    expect(emu.rows(TABLE)).toHaveLength(5);
    await client.close();
  });

  it('waits until the HTTP date a 429 gives', async () => {
    const { clock, client } = setup();
    emu.faults.enqueue({ status: 429, retryAfter: new Date(clock.nowMs + 7000).toUTCString() });
    push(client, 2);
    const flushed = client.flush();
    await until(() => clock.pending(7000).length === 1);
    clock.fire(7000);
    expect((await flushed).delivered).toBe(2);
    await client.close();
  });

  it('caps a long Retry-After at retryMaxMs', async () => {
    const { clock, client } = setup({ retryMaxMs: 4000 });
    emu.faults.enqueue({ status: 429, retryAfter: '3600' });
    push(client, 1);
    const flushed = client.flush();
    await until(() => clock.pending(4000).length === 1);
    clock.fire(4000);
    expect((await flushed).delivered).toBe(1);
    await client.close();
  });
});

describe('retryable failures', () => {
  it.each([
    ['500', { status: 500 }, '500'],
    ['502', { status: 502 }, '502'],
    ['504', { status: 504 }, '504'],
    ['408', { status: 408 }, '408'],
    ['a reset connection', { reset: true as const }, 'network'],
    ['a hang-up mid-request', { hangUp: 'mid-request' as const }, 'network'],
  ])('retries %s with exponential backoff and jitter', async (_name, fault, key) => {
    const { clock, client } = setup();
    emu.faults.enqueue(fault, fault);
    push(client, 3);
    const flushed = client.flush();
    await until(() => clock.pending(250).length === 1);
    clock.fire(250);
    await until(() => clock.pending(500).length === 1);
    clock.fire(500);
    const stats = await flushed;
    expect(stats.delivered).toBe(3);
    expect(stats.retried).toBe(2);
    expect(stats.requests[key]).toBe(2);
    expect(emu.rows(TABLE)).toHaveLength(3);
    await client.close();
  });

  it('gives up after maxRetries with RETRIES_EXHAUSTED and the full failure details', async () => {
    const { clock, client, failures, warnings } = setup({ maxRetries: 2 });
    emu.faults.enqueue(
      { status: 503 },
      { status: 503 },
      { status: 503, errorCode: 'ServiceUnavailable' },
    );
    push(client, 4);
    const flushed = client.flush();
    await until(() => clock.pending(250).length === 1);
    clock.fire(250);
    await until(() => clock.pending(500).length === 1);
    clock.fire(500);
    const stats = await flushed;
    expect(stats).toMatchObject({ delivered: 0, rejected: 4, retried: 2, bufferedBytes: 0 });
    expect(failures).toHaveLength(1);
    const error = failures[0]?.error as IngestionError;
    expect(error.code).toBe(ErrorCodes.RETRIES_EXHAUSTED);
    expect(error).toMatchObject({ status: 503, serviceCode: 'ServiceUnavailable', recordCount: 4 });
    expect(error.clientRequestId).toBe(emu.requests()[2]?.clientRequestId);
    expect(failures[0]?.records).toHaveLength(4);
    expect(JSON.parse(failures[0]?.records[0] ?? '')).toMatchObject({ Message: 'message 0' });
    await client.close();
    expect(warnings.join('\n')).toMatch(/4 records rejected \(503 ERR_INGESTION_RETRIES_EXHAUSTED/);
  });

  it('bounds a request by requestTimeoutMs and counts it as a timeout', async () => {
    // The server holds the answer far longer than the timeout: the bound, not a sleep, decides.
    const { client, failures } = setup({ requestTimeoutMs: 100, maxRetries: 0 });
    emu.faults.enqueue({ latencyMs: 20_000 });
    push(client, 2);
    const stats = await client.flush();
    expect(stats).toMatchObject({ rejected: 2, requests: { timeout: 1 } });
    expect(failures[0]?.error.code).toBe(ErrorCodes.RETRIES_EXHAUSTED);
    expect(failures[0]?.error.message).toMatch(/TIMEOUT/);
    await client.close();
  });

  it('uses a fresh client request id per attempt', async () => {
    const { clock, client } = setup();
    emu.faults.enqueue({ status: 500 });
    push(client, 1);
    const flushed = client.flush();
    await until(() => clock.pending(250).length === 1);
    clock.fire(250);
    await flushed;
    const ids = emu.requests().map((r) => r.clientRequestId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    await client.close();
  });
});

describe('413', () => {
  it('splits the batch in halves and sends both', async () => {
    const { client, failures } = setup();
    emu.faults.enqueue({ status: 413, errorCode: 'ContentLengthLimitExceeded' });
    push(client, 10);
    const stats = await client.flush();
    expect(stats).toMatchObject({ delivered: 10, rejected: 0 });
    const requests = emu.requests();
    expect(requests.map((r) => r.status)).toEqual([413, 204, 204]);
    expect(requests.slice(1).map((r) => r.records)).toEqual([5, 5]);
    expect(emu.rows(TABLE)).toHaveLength(10);
    expect(failures).toEqual([]);
    await client.close();
  });

  it('rejects a single record that still gets 413 with RECORD_TOO_LARGE', async () => {
    const { client, failures } = setup();
    emu.faults.enqueue({ status: 413 }, { status: 413 }, { status: 413 });
    push(client, 2);
    const stats = await client.flush();
    expect(stats).toMatchObject({ delivered: 0, rejected: 2 });
    expect(failures.map((f) => f.error.code)).toEqual([
      ErrorCodes.RECORD_TOO_LARGE,
      ErrorCodes.RECORD_TOO_LARGE,
    ]);
    expect(failures.map((f) => f.records.length)).toEqual([1, 1]);
    expect((failures[0]?.error as IngestionError | undefined)?.hint).toMatch(/1,048,576/);
    await client.close();
  });
});

describe('permanent failures', () => {
  it.each([
    // A 400 splits to isolate a bad record (bad-request.e2e.test.ts): when both halves get a
    // 400 too, the three records are rejected together after 3 requests.
    [400, ErrorCodes.BAD_REQUEST, /column/, 3],
    [403, ErrorCodes.FORBIDDEN, /Monitoring Metrics Publisher/, 1],
    [409, ErrorCodes.HTTP_PERMANENT, undefined, 1],
  ])('%i fails without retry with %s', async (status, code, hint, requests) => {
    const { client, failures, warnings } = setup();
    emu.faults.random([{ probability: 1, fault: { status, errorCode: 'SomeCode' } }]);
    push(client, 3);
    const stats = await client.flush();
    expect(stats).toMatchObject({ rejected: 3, retried: 0, delivered: 0 });
    expect(emu.requests()).toHaveLength(requests);
    expect(failures).toHaveLength(1);
    const error = failures[0]?.error as IngestionError;
    expect(error).toMatchObject({ code, status, serviceCode: 'SomeCode', recordCount: 3 });
    if (hint) expect(error.hint).toMatch(hint);
    await client.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`3 records rejected (${status} ${code}`);
  });

  it('404 on an unknown rule id, with the request id and a hint', async () => {
    const url = emu.streamUrl().replace(emu.rules[0]?.ruleId ?? '', `dcr-${'0'.repeat(32)}`);
    const { client, failures } = setup({ url });
    push(client, 1);
    await client.flush();
    const error = failures[0]?.error as IngestionError;
    expect(error).toMatchObject({ code: ErrorCodes.NOT_FOUND, status: 404, recordCount: 1 });
    expect(error.hint).toMatch(/immutable id/);
    expect(error.requestId ?? '').not.toBe('');
    await client.close();
  });

  it('reads an HTML 400 body without choking', async () => {
    const { client, failures } = setup();
    emu.faults.enqueue({
      status: 400,
      body: '<html><head><title>Bad Request</title></head><body><h1>Bad Request - Invalid Header</h1></body></html>',
    });
    push(client, 1);
    await client.flush();
    const error = failures[0]?.error as IngestionError;
    expect(error.code).toBe(ErrorCodes.BAD_REQUEST);
    expect(error.message).toContain('Bad Request - Invalid Header');
    expect(error.message).not.toContain('<h1>');
    await client.close();
  });
});
