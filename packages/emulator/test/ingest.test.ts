import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { DEFAULT_RULE_ID, DEFAULT_STREAM, DEFAULT_TABLE, startEmulator } from '../src/index.js';
import { post, record, V } from './helpers.js';

let emu: Emulator;
let url: string;
beforeAll(async () => {
  emu = await startEmulator({ forbiddenRules: [] });
  url = emu.streamUrl() + V;
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

function errorOf(body: string): { code: string; message: string } {
  return (JSON.parse(body) as { error: { code: string; message: string } }).error;
}

describe('the ingestion call', () => {
  it('accepts a gzipped array: 204, rows stored with _TimeReceived, ids echoed', async () => {
    const r = await post(url, [record(), record({ Message: 'two' })], {
      token: emu.token(),
      headers: { 'x-ms-client-request-id': 'req-1' },
    });
    expect(r.status).toBe(204);
    expect(r.body).toBe('');
    expect(r.headers['x-ms-client-request-id']).toBe('req-1');
    expect(r.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const rows = emu.rows(DEFAULT_TABLE);
    expect(rows.map((x) => x.Message)).toEqual(['hello', 'two']);
    expect(typeof rows[0]!._TimeReceived).toBe('string');
    expect(emu.rows(`Custom-${DEFAULT_TABLE}`)).toHaveLength(2);
    const c = emu.counters();
    expect(c.requestsByStatus['204']).toBe(1);
    expect(c.rowsReceived).toBe(2);
    expect(c.rowsIngested).toBe(2);
    expect(c.bytesReceived).toBeGreaterThan(0);
    expect(c.bytesDecoded).toBeGreaterThan(c.bytesReceived);
  });

  it('accepts a plain (not gzipped) body', async () => {
    const r = await post(url, [record()], { token: emu.token(), gzip: false });
    expect(r.status).toBe(204);
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(1);
  });

  it('keeps a request log with the token redacted', async () => {
    const token = emu.token();
    await post(url, [record()], { token, headers: { 'x-ms-client-request-id': 'abc' } });
    const [log] = emu.requests();
    expect(log).toMatchObject({
      method: 'POST',
      path: `/dataCollectionRules/${DEFAULT_RULE_ID}/streams/${DEFAULT_STREAM}`,
      query: { 'api-version': '2023-01-01' },
      status: 204,
      records: 1,
      clientRequestId: 'abc',
    });
    expect(log!.headers.authorization).toBe('Bearer <redacted>');
    expect(JSON.stringify(emu.requests())).not.toContain(token);
  });

  it('refuses a missing or unknown api-version with 400', async () => {
    const a = await post(emu.streamUrl(), [record()], { token: emu.token() });
    expect(a.status).toBe(400);
    expect(a.headers['x-ms-error-code']).toBe('MissingApiVersionParameter');
    const b = await post(`${emu.streamUrl()}?api-version=2020-01-01`, [record()], {
      token: emu.token(),
    });
    expect(b.status).toBe(400);
    expect(errorOf(b.body).code).toBe('InvalidApiVersionParameter');
    const c = await post(`${emu.streamUrl()}?api-version=2023-04-01-preview`, [record()], {
      token: emu.token(),
    });
    expect(c.status).toBe(204);
  });

  it('answers 401 for missing, garbled, foreign and expired tokens', async () => {
    const missing = await post(url, [record()]);
    expect(missing.status).toBe(401);
    expect(missing.headers['x-ms-error-code']).toBe('AuthenticationFailed');
    expect(errorOf(missing.body).code).toBe('AuthenticationFailed');
    const garbled = await post(url, [record()], { token: 'not-a-jwt' });
    expect(garbled.status).toBe(401);
    expect(garbled.headers['x-ms-error-code']).toBe('InvalidAuthenticationToken');
    const other = await startEmulator();
    try {
      const foreign = await post(url, [record()], { token: other.token() });
      expect(foreign.status).toBe(401);
      expect(errorOf(foreign.body).code).toBe('InvalidAuthenticationToken');
    } finally {
      await other.stop();
    }
    const t = emu.token();
    const tampered = `${t.slice(0, t.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    expect((await post(url, [record()], { token: tampered })).status).toBe(401);
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(0);
  });

  it("accepts its cloud's monitor audience, with or without slash; refuses others with InvalidAudience", async () => {
    for (const audience of ['https://monitor.azure.com', 'https://monitor.azure.com/']) {
      expect((await post(url, [record()], { token: emu.token({ audience }) })).status).toBe(204);
    }
    // A sovereign cloud's token is the wrong audience on the public cloud's endpoint.
    for (const audience of [
      'https://management.azure.com',
      'https://monitor.azure.us',
      'https://monitor.azure.cn/',
    ]) {
      const r = await post(url, [record()], { token: emu.token({ audience }) });
      expect(r.status).toBe(401);
      expect(r.headers['x-ms-error-code']).toBe('InvalidAudience');
      expect(errorOf(r.body).message).toContain('https://monitor.azure.com');
    }
    const gov = await startEmulator({ cloud: 'usgov' });
    try {
      const govUrl = gov.streamUrl() + V;
      expect((await post(govUrl, [record()], { token: gov.token() })).status).toBe(204);
      expect(
        (
          await post(govUrl, [record()], {
            token: gov.token({ audience: 'https://monitor.azure.us/' }),
          })
        ).status,
      ).toBe(204);
      const r = await post(govUrl, [record()], {
        token: gov.token({ audience: 'https://monitor.azure.com' }),
      });
      expect(r.status).toBe(401);
      expect(errorOf(r.body).message).toContain('https://monitor.azure.us');
    } finally {
      await gov.stop();
    }
  });

  it('answers 404 NotFound for an unknown rule and 400 InvalidStream for an undeclared stream', async () => {
    const rule = `dcr-${'0'.repeat(32)}`;
    const r = await post(
      `${emu.endpoint}/dataCollectionRules/${rule}/streams/${DEFAULT_STREAM}${V}`,
      [record()],
      { token: emu.token() },
    );
    expect(r.status).toBe(404);
    expect(r.headers['x-ms-error-code']).toBe('NotFound');
    expect(errorOf(r.body).message).toContain(rule);
    const s = await post(emu.streamUrl('Custom-Nope') + V, [record()], { token: emu.token() });
    expect(s.status).toBe(400);
    expect(errorOf(s.body).code).toBe('InvalidStream');
  });

  it('answers 403 OperationFailed for a rule whose caller has no role', async () => {
    const e = await startEmulator({ forbiddenRules: [DEFAULT_RULE_ID] });
    try {
      const r = await post(e.streamUrl() + V, [record()], { token: e.token() });
      expect(r.status).toBe(403);
      expect(r.headers['x-ms-error-code']).toBe('OperationFailed');
      const message = errorOf(r.body).message;
      expect(message).toContain('IsRbacPresent: False');
      // DcrArmId carries the ARM resource id, not the DCR's name.
      expect(message).toContain(
        'DcrArmId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-logs/providers/Microsoft.Insights/dataCollectionRules/dcr-applogs,',
      );
    } finally {
      await e.stop();
    }
  });

  it('answers 400 for malformed gzip and malformed JSON, and 415 for an unknown encoding or content type', async () => {
    const badGzip = await post(url, null, {
      token: emu.token(),
      raw: Buffer.from('not gzip'),
      headers: { 'content-encoding': 'gzip' },
    });
    expect(badGzip.status).toBe(400);
    expect(badGzip.headers['x-ms-error-code']).toBe('InvalidContentEncoding');
    const badJson = await post(url, '[{"a":', { token: emu.token() });
    expect(badJson.status).toBe(400);
    expect(errorOf(badJson.body).code).toBe('InvalidPayload');
    const br = await post(url, null, {
      token: emu.token(),
      raw: '[]',
      headers: { 'content-encoding': 'br' },
    });
    expect(br.status).toBe(415);
    // Only gzip is documented: deflate is refused like any other encoding.
    const { deflateSync } = await import('node:zlib');
    const deflate = await post(url, null, {
      token: emu.token(),
      raw: deflateSync('[]'),
      headers: { 'content-encoding': 'deflate' },
    });
    expect(deflate.status).toBe(415);
    expect(deflate.headers['x-ms-error-code']).toBe('UnsupportedContentEncoding');
    const scalar = await post(url, '42', { token: emu.token() });
    expect(scalar.status).toBe(400);
    // Content-Type: application/json is required (charset parameters are fine).
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const r = await post(url, [record()], {
        token: emu.token(),
        headers: { 'content-type': type },
      });
      expect(r.status).toBe(415);
      expect(errorOf(r.body).code).toBe('UnsupportedMediaType');
    }
    const utf8 = await post(url, [record()], {
      token: emu.token(),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(utf8.status).toBe(204);
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(1);
    const { http } = await import('./helpers.js');
    const none = await http(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.token()}` },
      body: '[]',
    });
    expect(none.status).toBe(415);
  });

  it('answers 204 to a JSON object and stores nothing, counting a warning (as Azure does)', async () => {
    const r = await post(url, record(), { token: emu.token() });
    expect(r.status).toBe(204);
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(0);
    expect(emu.counters().warnings.join('\n')).toMatch(/JSON object, not an array/);
  });

  it('refuses a Content-Length over 1,048,576 with 413 ContentLengthLimitExceeded', async () => {
    const big = Buffer.alloc(1_048_577, 0x20);
    const r = await post(url, null, { token: emu.token(), raw: big });
    expect(r.status).toBe(413);
    expect(r.headers['x-ms-error-code']).toBe('ContentLengthLimitExceeded');
    expect(errorOf(r.body).message).toContain('1048576 bytes (1 MB)');
    const exact = `[${' '.repeat(1_048_576 - 2)}]`;
    expect((await post(url, exact, { token: emu.token(), gzip: false })).status).toBe(204);
  });

  it('refuses a small gzip body that inflates past the limit with 413', async () => {
    const json = JSON.stringify([record({ Message: 'x'.repeat(1_100_000) })]);
    const r = await post(url, json, { token: emu.token() });
    expect(r.status).toBe(413);
    expect(emu.requests()[0]!.wireBytes).toBeLessThan(20_000);
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(0);
  });

  it('answers 405 to other methods on the stream path and 404 JSON to unknown paths', async () => {
    const { http } = await import('./helpers.js');
    expect((await http(url)).status).toBe(405);
    const r = await http(`${emu.endpoint}/nope`);
    expect(r.status).toBe(404);
    expect(errorOf(r.body).code).toBe('NotFound');
  });
});
