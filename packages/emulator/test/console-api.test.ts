/**
 * The web console's page and JSON, and the guard in front of the emulator's own endpoints:
 * Host names (no DNS rebinding), cross-origin requests, JSON for POST/DELETE, no CORS, and no
 * token anywhere in what the console reads. (The page itself is driven in a real browser by
 * test/console.test.ts at the repository root.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { startEmulator } from '../src/index.js';
import { http, post, record, V } from './helpers.js';

let emu: Emulator;
let port: string;
const JSON_TYPE = { 'content-type': 'application/json' };
beforeAll(async () => {
  emu = await startEmulator();
  port = new URL(emu.endpoint).port;
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const json = (body: string) => JSON.parse(body) as Record<string, unknown>;

describe('the guard of the own endpoints', () => {
  it('answers only the names the emulator serves', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      `LOCALHOST:${port}`,
      'localhost:1', // the name matters against rebinding, not the port
      '127.0.0.1',
    ]) {
      expect((await http(`${emu.endpoint}/counters`, { headers: { host } })).status, host).toBe(
        200,
      );
    }
    for (const host of [`evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      for (const path of [
        '/',
        '/console/api/overview',
        '/counters',
        '/tables/AppLogs_CL/rows',
        '/requests',
      ]) {
        const r = await http(`${emu.endpoint}${path}`, { headers: { host } });
        expect(r.status, `${host} ${path}`).toBe(403);
        expect(json(r.body)).toMatchObject({ error: { code: 'HostNotAllowed' } });
      }
    }
    const r = await http(`${emu.endpoint}/reset`, {
      method: 'POST',
      headers: { ...JSON_TYPE, host: 'evil.example' },
    });
    expect(r.status).toBe(403);
    expect(json(r.body).error).toMatchObject({ message: expect.stringMatching(/DNS rebinding/) });
  });

  it('leaves the ingestion call and /health open to any name (clients in containers)', async () => {
    const r = await post(emu.streamUrl() + V, [record()], {
      token: emu.token(),
      headers: { host: `emulator.internal:${port}` },
    });
    expect(r.status).toBe(204);
    expect((await http(`${emu.endpoint}/health`, { headers: { host: 'x' } })).status).toBe(200);
  });

  it('refuses requests from another origin, and cross-site fetches', async () => {
    const reset = (headers: Record<string, string>) =>
      http(`${emu.endpoint}/reset`, { method: 'POST', headers: { ...JSON_TYPE, ...headers } });
    for (const origin of ['http://evil.example', `http://localhost:${Number(port) + 1}`, 'null']) {
      const r = await reset({ origin });
      expect(r.status, origin).toBe(403);
      expect(json(r.body)).toMatchObject({ error: { code: 'OriginNotAllowed' } });
    }
    expect((await reset({ origin: emu.endpoint })).status).toBe(200);
    const crossSite = await http(`${emu.endpoint}/console/api/overview`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    expect(
      (
        await http(`${emu.endpoint}/console/api/overview`, {
          headers: { 'sec-fetch-site': 'same-origin' },
        })
      ).status,
    ).toBe(200);
  });

  it('needs JSON or X-Requested-With for POST and DELETE (no simple cross-site form)', async () => {
    for (const [method, path] of [
      ['POST', '/reset'],
      ['POST', '/faults'],
      ['DELETE', '/faults'],
      ['POST', '/console/api/faults'],
    ] as const) {
      for (const headers of [
        {},
        { 'content-type': 'text/plain' },
        { 'content-type': 'application/x-www-form-urlencoded' },
      ]) {
        const r = await http(`${emu.endpoint}${path}`, { method, headers, body: '[]' });
        expect(r.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(415);
        expect(json(r.body)).toMatchObject({ error: { code: 'ControlNeedsJson' } });
      }
    }
    expect(
      (
        await http(`${emu.endpoint}/reset`, {
          method: 'POST',
          headers: { 'x-requested-with': 'curl' },
        })
      ).status,
    ).toBe(200);
    expect(
      (await http(`${emu.endpoint}/faults`, { method: 'DELETE', headers: JSON_TYPE })).status,
    ).toBe(200);
  });

  it('grants no CORS: no Access-Control-* header, no preflight answer', async () => {
    const pre = await http(`${emu.endpoint}/reset`, {
      method: 'OPTIONS',
      headers: { origin: emu.endpoint, 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(404);
    for (const path of ['/', '/console/api/overview', '/counters']) {
      const r = await http(`${emu.endpoint}${path}`);
      expect(
        Object.keys(r.headers).filter((h) => h.startsWith('access-control-')),
        path,
      ).toEqual([]);
    }
  });
});

describe('the console page and its JSON', () => {
  it('serves the page, its style sheet and script with a strict content security policy', async () => {
    const page = await http(`${emu.endpoint}/?q=AppLogs_CL`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(
      /default-src 'none'; script-src 'self'/,
    );
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain('<script type="module" src="/console/console.js"></script>');
    expect((await http(`${emu.endpoint}/console/console.css`)).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
    expect((await http(`${emu.endpoint}/console/console.js`)).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await http(`${emu.endpoint}/console/nope.js`)).status).toBe(404);
    expect((await http(`${emu.endpoint}/console/..%2Fpackage.json`)).status).toBe(404);
  });

  it('gives tables with counts, per-stream losses, faults planned and a seq that moves', async () => {
    const before = json((await http(`${emu.endpoint}/console/api/overview`)).body);
    await post(emu.streamUrl() + V, [record({ Extra: 1 }), record({ SeverityNumber: 'x' })], {
      token: emu.token(),
    });
    emu.faults.enqueue({ status: 503 });
    const o = json((await http(`${emu.endpoint}/console/api/overview`)).body) as {
      seq: number;
      tables: Array<{
        name: string;
        rows: number;
        received: number;
        columns: Array<{ name: string; type: string }>;
      }>;
      streams: Array<Record<string, unknown>>;
      faults: { queued: string[] };
    };
    expect(o.seq).toBeGreaterThan(before.seq as number);
    expect(o.tables).toHaveLength(1);
    expect(o.tables[0]).toMatchObject({ name: 'AppLogs_CL', rows: 2, received: 2 });
    expect(o.tables[0]!.columns.at(-1)).toEqual({ name: '_TimeReceived', type: 'datetime' });
    expect(o.streams[0]).toMatchObject({
      columnsDropped: { Extra: 1 },
      valuesNulled: { SeverityNumber: 1 },
    });
    expect(o.faults.queued).toEqual(['503']);
  });

  it('runs a query newest first, and answers an error with its line and column', async () => {
    for (const level of ['info', 'error', 'info', 'error']) {
      await post(emu.streamUrl() + V, [record({ Level: level, Message: `m-${level}` })], {
        token: emu.token(),
      });
    }
    const q = (text: string, extra = '') =>
      http(`${emu.endpoint}/console/api/query?q=${encodeURIComponent(text)}${extra}`);
    const ok = json((await q('AppLogs_CL | where Level == "error" | project Level, Message')).body);
    expect(ok).toMatchObject({
      table: 'AppLogs_CL',
      total: 2,
      columns: [{ name: 'Level' }, { name: 'Message' }],
    });
    expect(ok.rows).toEqual([
      { Level: 'error', Message: 'm-error' },
      { Level: 'error', Message: 'm-error' },
    ]);
    const cut = json((await q('AppLogs_CL', '&max=1')).body);
    expect(cut).toMatchObject({ total: 4 });
    expect(cut.rows).toHaveLength(1);
    expect(json((await q('AppLogs_CL | summarize count() by Level')).body).rows).toEqual([
      { Level: 'error', count_: 2 },
      { Level: 'info', count_: 2 },
    ]);
    const bad = await q('AppLogs_CL\n| where Levl == 1');
    expect(bad.status).toBe(400);
    expect(json(bad.body).error).toEqual({
      code: 'InvalidQuery',
      kind: 'SemanticError',
      message: "SemanticError at 2:9 : Failed to resolve scalar expression named 'Levl'",
      detail: "Failed to resolve scalar expression named 'Levl'",
      at: 19,
      line: 2,
      column: 9,
    });
  });

  it('queues faults and rates with the CLI specs, and lists requests without headers or tokens', async () => {
    const fault = (body: unknown) =>
      http(`${emu.endpoint}/console/api/faults`, {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify(body),
      });
    expect(json((await fault({ spec: '503:2' })).body)).toEqual({
      queued: ['503 retry-after 2'],
      random: [],
    });
    const bad = await fault({ spec: 'teapot' });
    expect(bad.status).toBe(400);
    expect(json(bad.body)).toMatchObject({
      error: {
        code: 'InvalidFault',
        message: expect.stringMatching(/unknown fault spec 'teapot'/),
      },
    });
    expect((await fault({ rate: '2:503' })).status).toBe(400);
    expect((await fault({})).status).toBe(400);
    const token = emu.token();
    expect(
      (
        await post(emu.streamUrl() + V, [record()], {
          token,
          headers: { 'x-ms-client-request-id': 'abc-1' },
        })
      ).status,
    ).toBe(503);
    expect(json((await fault({ rate: '1:429', seed: 1 })).body)).toEqual({
      queued: [],
      random: [{ probability: 1, fault: '429' }],
    });
    expect((await post(emu.streamUrl() + V, [record()], { token })).status).toBe(429);
    const list = await http(`${emu.endpoint}/console/api/requests?limit=5`);
    const requests = JSON.parse(list.body) as Array<Record<string, unknown>>;
    expect(requests.map((r) => [r.status, r.fault])).toEqual([
      [429, '429'],
      [503, '503 retry-after 2'],
    ]);
    expect(requests[1]).toMatchObject({
      clientRequestId: 'abc-1',
      ruleId: emu.rules[0]!.ruleId,
      errorCode: 'ServiceUnavailable',
    });
    expect(requests[1]!.headers).toBeUndefined();
    const overview = (await http(`${emu.endpoint}/console/api/overview`)).body;
    for (const body of [list.body, overview]) {
      expect(body).not.toContain(token);
      expect(body).not.toMatch(/authorization|bearer|IDENTITY_HEADER/i);
    }
    expect((await http(`${emu.endpoint}/console/api/requests?limit=0`)).body).toBe('[]');
  });
});
