import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { DEFAULT_TABLE, startEmulator } from '../src/index.js';
import { post, record, V } from './helpers.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});
const dir = mkdtempSync(join(tmpdir(), 'emu-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rate limits per rule', () => {
  it('answers 429 with Retry-After past requests/min, and recovers in the next window', async () => {
    let now = Date.parse('2026-06-01T12:00:00.000Z');
    emu = await startEmulator({ now: () => now, rateLimits: { requestsPerMinute: 2 } });
    const url = emu.streamUrl() + V;
    const token = emu.token();
    expect((await post(url, [record()], { token })).status).toBe(204);
    now += 15_000;
    expect((await post(url, [record()], { token })).status).toBe(204);
    const r = await post(url, [record()], { token });
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('45');
    expect(r.headers['x-ms-error-code']).toBe('TooManyRequests');
    now += 45_000;
    expect((await post(url, [record()], { token })).status).toBe(204);
  });

  it('answers 429 past bytes/min', async () => {
    const now = Date.parse('2026-06-01T12:00:00.000Z');
    emu = await startEmulator({ now: () => now, rateLimits: { bytesPerMinute: 300 } });
    const url = emu.streamUrl() + V;
    const token = emu.token();
    const body = [record({ Message: 'x'.repeat(200) })];
    expect((await post(url, body, { token, gzip: false })).status).toBe(204);
    const r = await post(url, body, { token, gzip: false });
    expect(r.status).toBe(429);
    expect(Number(r.headers['retry-after'])).toBe(60);
  });

  it('counts in shorter windows with the per-minute limits scaled to them', async () => {
    let now = Date.parse('2026-06-01T12:00:00.000Z');
    // 120 per minute in 5-s windows: 10 requests per window.
    const rateLimits = { requestsPerMinute: 120, windowMs: 5000 };
    emu = await startEmulator({ now: () => now, rateLimits });
    const url = emu.streamUrl() + V;
    const token = emu.token();
    for (let i = 0; i < 10; i++) expect((await post(url, [record()], { token })).status).toBe(204);
    now += 3_200;
    const r = await post(url, [record()], { token });
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('2');
    now += 1_800;
    expect((await post(url, [record()], { token })).status).toBe(204);
  });

  it('validates options', async () => {
    await expect(startEmulator({ rateLimits: { windowMs: 10 } })).rejects.toThrow(
      /rateLimits\.windowMs must be a number >= 100, got 10/,
    );
    await expect(startEmulator({ rateLimits: { requestsPerMinute: 0 } })).rejects.toThrow(
      /rateLimits\.requestsPerMinute must be a number >= 1, got 0/,
    );
    await expect(startEmulator({ port: -1 })).rejects.toThrow(/option port/);
  });
});

describe('storage', () => {
  it('appends rows to the data directory and reloads them at start', async () => {
    emu = await startEmulator({ dataDir: dir });
    await post(emu.streamUrl() + V, [record({ Message: 'persisted' })], { token: emu.token() });
    await emu.stop();
    expect(readFileSync(join(dir, `${DEFAULT_TABLE}.jsonl`), 'utf8')).toContain('persisted');
    emu = await startEmulator({ dataDir: dir });
    expect(emu.rows(DEFAULT_TABLE).map((r) => r.Message)).toEqual(['persisted']);
    await post(emu.streamUrl() + V, [record({ Message: 'second' })], { token: emu.token() });
    await emu.stop();
    emu = await startEmulator({ dataDir: dir });
    expect(emu.rows(DEFAULT_TABLE).map((r) => r.Message)).toEqual(['persisted', 'second']);
  });

  it('filters rows by receive time and limit', async () => {
    let now = Date.parse('2026-06-01T12:00:00.000Z');
    emu = await startEmulator({ now: () => now });
    const token = emu.token();
    for (const m of ['a', 'b', 'c']) {
      await post(
        emu.streamUrl() + V,
        [record({ Message: m, TimeGenerated: new Date(now).toISOString() })],
        { token },
      );
      now += 1000;
    }
    const t0 = Date.parse('2026-06-01T12:00:00.000Z');
    expect(emu.rows(DEFAULT_TABLE, { since: t0 + 1000 }).map((r) => r.Message)).toEqual(['b', 'c']);
    expect(emu.rows(DEFAULT_TABLE, { until: new Date(t0 + 1000) }).map((r) => r.Message)).toEqual([
      'a',
    ]);
    expect(emu.rows(DEFAULT_TABLE, { limit: 2 }).map((r) => r.Message)).toEqual(['a', 'b']);
  });

  it('waitForRows resolves when rows arrive and rejects with a clear message at timeout', async () => {
    emu = await startEmulator();
    const waiting = emu.waitForRows(DEFAULT_TABLE, 2, 5000);
    await post(emu.streamUrl() + V, [record(), record()], { token: emu.token() });
    await expect(waiting).resolves.toBeUndefined();
    await expect(emu.waitForRows(DEFAULT_TABLE, 5, 30)).rejects.toThrow(
      /table AppLogs_CL has 2 rows after 30 ms, expected at least 5/,
    );
  });

  it('stop() rejects pending waits and cuts pending latency short', async () => {
    emu = await startEmulator({ latencyMs: 60_000 });
    const waiting = emu.waitForRows(DEFAULT_TABLE, 1, 60_000);
    let written: Promise<unknown> = Promise.resolve();
    // The request is fully written before stop(), so the client sees the socket cut, not a refusal.
    const inFlight = new Promise<string>((resolve) => {
      const req = request(emu!.streamUrl() + V, {
        method: 'POST',
        agent: false,
        headers: { authorization: `Bearer ${emu!.token()}`, 'content-type': 'application/json' },
      });
      req.on('response', () => resolve('answered'));
      req.on('error', (err) => resolve(err.message));
      req.end(JSON.stringify([record()]));
      written = new Promise((r) => req.on('finish', r));
    });
    await written;
    await emu.stop();
    await expect(waiting).rejects.toThrow(/emulator stopped while waiting for 1 rows/);
    expect(await inFlight).toMatch(/socket hang up|ECONNRESET/);
  });

  it('stop() is idempotent and closes idle keep-alive sockets', async () => {
    emu = await startEmulator();
    const r = await fetch(`${emu.endpoint}/health`);
    expect(r.status).toBe(200);
    await r.text();
    const p1 = emu.stop();
    expect(emu.stop()).toBe(p1);
    await p1;
  });
});
