/**
 * Bad input never takes the emulator down: garbage, huge headers, half-sent and slow requests,
 * oversize and fuzzed bodies each get an answer or a closed socket, and it keeps serving.
 */

import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Emulator } from '../src/index.js';
import { DEFAULT_TABLE, MAX_BODY_BYTES, startEmulator } from '../src/index.js';
import { post, record, V } from './helpers.js';

let emu: Emulator;
let port: number;
beforeAll(async () => {
  emu = await startEmulator({ requestTimeoutMs: 400 });
  port = Number(new URL(emu.endpoint).port);
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

/** Write raw bytes, collect everything until the server closes the socket. */
function raw(chunks: Array<string | Buffer>, opts: { end?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const s: Socket = connect(port, '127.0.0.1');
    const got: Buffer[] = [];
    s.on('data', (d) => got.push(d));
    s.on('error', (e) =>
      (e as NodeJS.ErrnoException).code === 'ECONNRESET'
        ? resolve(Buffer.concat(got).toString())
        : reject(e),
    );
    s.on('close', () => resolve(Buffer.concat(got).toString()));
    for (const c of chunks) s.write(c);
    if (opts.end) s.end();
  });
}

async function stillServes(): Promise<void> {
  expect((await post(emu.streamUrl() + V, [record()], { token: emu.token() })).status).toBe(204);
}

function head(length: number | 'chunked', extra = ''): string {
  const size = length === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`;
  return `POST /dataCollectionRules/${emu.rules[0]!.ruleId}/streams/Custom-AppLogs${V} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${emu.token()}\r\nContent-Type: application/json\r\n${size}\r\n${extra}\r\n`;
}

describe('robustness', () => {
  it('answers garbage with 400 and huge headers with 431', async () => {
    expect(await raw(['NOT HTTP AT ALL\r\n\r\n'])).toMatch(/^HTTP\/1\.1 400/);
    const huge = `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`;
    expect(await raw([huge])).toMatch(/^HTTP\/1\.1 431/);
    await stillServes();
  });

  it('answers malformed percent-escapes in the path with 404, not 500', async () => {
    const r = await post(`${emu.endpoint}/dataCollectionRules/%E0%A4%A/streams/x${V}`, [record()], {
      token: emu.token(),
    });
    expect(r.status).toBe(404);
    await stillServes();
  });

  it('survives a half-sent body whose client goes away, storing nothing', async () => {
    await raw([head(1000), '[{"Message":"par'], { end: true });
    await stillServes();
    expect(emu.rows(DEFAULT_TABLE)).toHaveLength(1);
    await vi.waitFor(() => expect(emu.requests().some((r) => r.outcome === 'aborted')).toBe(true), {
      timeout: 5000,
    });
  });

  it('times out a client that stops sending mid-body or mid-headers', async () => {
    const midBody = await raw([head(1000), '[{"Message":']);
    expect(midBody === '' || /^HTTP\/1\.1 408/.test(midBody)).toBe(true);
    const midHeaders = await raw(['POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\n']);
    expect(midHeaders === '' || /^HTTP\/1\.1 408/.test(midHeaders)).toBe(true);
    await stillServes();
  });

  it('stops reading a chunked body at the limit and answers 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        emu.streamUrl() + V,
        {
          method: 'POST',
          agent: false,
          headers: { authorization: `Bearer ${emu.token()}`, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 4 * MAX_BODY_BYTES) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    // An earlier test's timed-out request may be logged late: pick this one by status.
    const log = emu.requests().find((r) => r.status === 413)!;
    expect(log.errorCode).toBe('ContentLengthLimitExceeded');
    // Reading stopped at the limit plus at most one socket chunk: memory per request stays bounded.
    expect(log.wireBytes).toBeLessThanOrEqual(MAX_BODY_BYTES + 64 * 1024);
    await stillServes();
  });

  it('stops inflating a gzip bomb at the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    const r = await post(emu.streamUrl() + V, null, {
      token: emu.token(),
      raw: bomb,
      headers: { 'content-encoding': 'gzip' },
    });
    expect(r.status).toBe(413);
    await stillServes();
  });

  it('answers fuzzed bodies with 204 or 4xx, never 5xx, and keeps serving', async () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const pieces = [
      '[',
      ']',
      '{',
      '}',
      '"Message"',
      ':',
      ',',
      '"x"',
      '1',
      'null',
      'true',
      '"TimeGenerated"',
      '"2026-01-01"',
      '\u0000',
      '\\',
      '"\\ud800"',
      '1e999',
      '[[[[',
      '{"a":',
    ];
    const statuses = new Set<number>();
    for (let i = 0; i < 150; i++) {
      let body: Buffer;
      if (i % 3 === 0)
        body = Buffer.from(
          Array.from({ length: 1 + Math.floor(rand() * 300) }, () => Math.floor(rand() * 256)),
        );
      else
        body = Buffer.from(
          Array.from(
            { length: 1 + Math.floor(rand() * 30) },
            () => pieces[Math.floor(rand() * pieces.length)],
          ).join(''),
        );
      const gz = i % 2 === 0;
      const r = await post(emu.streamUrl() + V, null, {
        token: emu.token(),
        raw: gz && i % 4 === 0 ? gzipSync(body) : body,
        headers: gz ? { 'content-encoding': 'gzip' } : {},
      });
      statuses.add(r.status);
      expect(r.status === 204 || (r.status >= 400 && r.status < 500)).toBe(true);
    }
    expect(statuses.has(400)).toBe(true);
    await stillServes();
  });
});
