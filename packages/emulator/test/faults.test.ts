import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator, Fault } from '../src/index.js';
import { DEFAULT_TABLE, startEmulator } from '../src/index.js';
import { http, post, record, V } from './helpers.js';

/** POST and DELETE on the control endpoints need it (guard.ts). */
let emu: Emulator;
let url: string;
beforeAll(async () => {
  emu = await startEmulator();
  url = emu.streamUrl() + V;
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

describe('scripted faults', () => {
  it('answers scripted statuses in order, one per request, then serves normally', async () => {
    emu.faults.enqueue(
      { status: 429, retryAfter: '7' },
      { status: 503 },
      { status: 500, errorCode: 'Boom' },
    );
    const a = await post(url, [record()], { token: emu.token() });
    expect(a.status).toBe(429);
    expect(a.headers['retry-after']).toBe('7');
    expect(a.headers['x-ms-error-code']).toBe('TooManyRequests');
    const b = await post(url, [record()], { token: emu.token() });
    expect(b.status).toBe(503);
    expect(b.headers['retry-after']).toBeUndefined();
    const c = await post(url, [record()], { token: emu.token() });
    expect(c.status).toBe(500);
    expect(JSON.parse(c.body)).toEqual({
      error: { code: 'Boom', message: 'Injected fault: 500 Boom.' },
    });
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(204);
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(1);
    expect(emu.counters().requestsByStatus).toEqual({ '429': 1, '503': 1, '500': 1, '204': 1 });
    expect(emu.requests().map((r) => r.errorCode)).toEqual([
      'TooManyRequests',
      'ServiceUnavailable',
      'Boom',
      undefined,
    ]);
  });

  it('serves a raw HTML 400 like the front end under load', async () => {
    emu.faults.enqueue({ status: 400, body: '<html><body>Bad Request</body></html>' });
    const r = await post(url, [record()], { token: emu.token() });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toBe('text/html');
    expect(r.body).toContain('<html>');
  });

  it('resets the connection without an answer, and keeps serving', async () => {
    emu.faults.enqueue({ reset: true });
    await expect(post(url, [record()], { token: emu.token() })).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(204);
    expect(emu.requests()[0]).toMatchObject({ status: 0, outcome: 'reset' });
  });

  it('hangs up mid-request after part of the body, storing nothing', async () => {
    emu.faults.enqueue({ hangUp: 'mid-request' });
    const body = Array.from({ length: 2000 }, (_, i) => record({ Message: `m${i}` }));
    await expect(post(url, body, { token: emu.token(), gzip: false })).rejects.toThrow(
      /socket hang up|ECONNRESET|EPIPE/,
    );
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(0);
    const log = emu.requests()[0]!;
    expect(log.outcome).toBe('hang-up');
    expect(log.wireBytes).toBeGreaterThan(0);
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(204);
  });

  it('hangs up after the whole body, storing nothing', async () => {
    emu.faults.enqueue({ hangUp: 'after-body' });
    const body = Array.from({ length: 200 }, (_, i) => record({ Message: `m${i}` }));
    await expect(post(url, body, { token: emu.token(), gzip: false })).rejects.toThrow(
      /socket hang up|ECONNRESET|EPIPE/,
    );
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(0);
    const log = emu.requests()[0]!;
    expect(log.outcome).toBe('hang-up-after-body');
    expect(log.wireBytes).toBe(Buffer.byteLength(JSON.stringify(body)));
  });

  it('stores the rows and loses the answer: a resend stores them again', async () => {
    emu.faults.enqueue({ dropAnswer: true });
    const body = [record({ Message: 'once' })];
    await expect(post(url, body, { token: emu.token() })).rejects.toThrow(
      /socket hang up|ECONNRESET/,
    );
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(1);
    expect((await post(url, body, { token: emu.token() })).status).toBe(204);
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(2);
    expect(emu.requests().map((r) => r.status)).toEqual([204, 204]);
  });

  it('adds latency before the normal or the given answer', async () => {
    emu.faults.enqueue(
      { latencyMs: 20 },
      // biome-ignore lint/suspicious/noThenProperty: `then` is the Fault API's name for the follow-up answer.
      { latencyMs: 20, then: { status: 503, retryAfter: '1' } },
    );
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(204);
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(503);
  });

  it('reads slowly and still ingests', async () => {
    emu.faults.enqueue({ slowReadBytesPerSec: 200_000 });
    const body = Array.from({ length: 200 }, (_, i) => record({ Message: `m${i}` }));
    expect((await post(url, body, { token: emu.token(), gzip: false })).status).toBe(204);
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(200);
  });

  it('rejects invalid faults with a message', () => {
    expect(() => emu.faults.enqueue({ status: 99 } as Fault)).toThrow(/status must be an integer/);
    expect(() => emu.faults.enqueue({ nope: 1 } as unknown as Fault)).toThrow(/unknown fault/);
    expect(() => emu.faults.random([{ probability: 2, fault: { status: 500 } }])).toThrow(
      /probability/,
    );
  });
});

describe('random faults', () => {
  async function statuses(seed: number, n: number): Promise<number[]> {
    emu.reset();
    emu.faults.random(
      [
        { probability: 0.3, fault: { status: 503 } },
        { probability: 0.2, fault: { status: 429, retryAfter: '1' } },
      ],
      seed,
    );
    const out: number[] = [];
    for (let i = 0; i < n; i++)
      out.push((await post(url, [record()], { token: emu.token() })).status);
    return out;
  }

  it('draws the same sequence for the same seed and mixes statuses by probability', async () => {
    const a = await statuses(42, 40);
    const b = await statuses(42, 40);
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set([204, 503, 429]));
    expect(await statuses(7, 40)).not.toEqual(a);
  });

  it('clear() stops random faults', async () => {
    emu.faults.random([{ probability: 1, fault: { status: 500 } }], 1);
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(500);
    emu.faults.clear();
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(204);
  });
});

describe('control endpoints', () => {
  it('takes faults over HTTP (POST /faults) and reports counters, requests and rows over HTTP', async () => {
    const JSON_TYPE = { 'content-type': 'application/json' };
    const f = await http(`${emu.endpoint}/faults`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify([{ status: 503, retryAfter: '3' }]),
    });
    expect(f.status).toBe(200);
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(503);
    const bad = await http(`${emu.endpoint}/faults`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: '[{"status":"x"}]',
    });
    expect(bad.status).toBe(400);
    const rnd = await http(`${emu.endpoint}/faults`, {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ random: [{ probability: 1, fault: { status: 500 } }], seed: 1 }),
    });
    expect(rnd.status).toBe(200);
    expect((await post(url, [record()], { token: emu.token() })).status).toBe(500);
    expect(
      (await http(`${emu.endpoint}/faults`, { method: 'DELETE', headers: JSON_TYPE })).status,
    ).toBe(200);
    const t0 = Date.now();
    expect(
      (
        await post(url, [record({ Message: 'a' }), record({ Message: 'b' })], {
          token: emu.token(),
        })
      ).status,
    ).toBe(204);
    const counters = JSON.parse((await http(`${emu.endpoint}/counters`)).body) as {
      requestsByStatus: Record<string, number>;
      rowsIngested: number;
    };
    expect(counters.requestsByStatus).toEqual({ '503': 1, '500': 1, '204': 1 });
    expect(counters.rowsIngested).toBe(2);
    const rows = JSON.parse(
      (await http(`${emu.endpoint}/tables/${DEFAULT_TABLE}/rows?limit=1`)).body,
    ) as Array<{ Message: string }>;
    expect(rows.map((r) => r.Message)).toEqual(['a']);
    const later = await http(
      `${emu.endpoint}/tables/Custom-${DEFAULT_TABLE}/rows?since=${new Date(t0 + 3_600_000).toISOString()}`,
    );
    expect(JSON.parse(later.body)).toEqual([]);
    const log = JSON.parse((await http(`${emu.endpoint}/requests`)).body) as unknown[];
    expect(log).toHaveLength(3);
    const reset = { method: 'POST', headers: { 'x-emulator-control': '1' } };
    expect((await http(`${emu.endpoint}/reset`, reset)).status).toBe(200);
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(0);
  });
});
