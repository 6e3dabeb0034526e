/**
 * The emulator as a safe dev tool (http/guard.ts): a Host check against DNS rebinding, no
 * requests from foreign web pages, and control endpoints a page cannot call with a simple
 * cross-origin request. The clients a developer uses still get through.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { startEmulator } from '../src/index.js';
import { http, post, record, V } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ allowedHosts: ['logs.dev.internal'] });
});
afterAll(() => emu.stop());

const port = () => new URL(emu.endpoint).port;
const withHost = (host: string, extra: Record<string, string> = {}) => ({
  headers: { host, ...extra },
});

describe('Host header', () => {
  it.each([
    '127.0.0.1',
    'localhost',
    'app.localhost',
    '[::1]',
    '10.1.2.3',
    hostname(),
    'logs.dev.internal',
  ])('serves %s', async (name) => {
    const r = await http(`${emu.endpoint}/health`, withHost(`${name}:${port()}`));
    expect(r.status).toBe(200);
  });

  it("refuses any other name on the emulator's own endpoints (DNS rebinding)", async () => {
    const counters = await http(`${emu.endpoint}/counters`, withHost(`evil.example:${port()}`));
    expect(counters.status).toBe(403);
    expect(JSON.parse(counters.body).error).toMatchObject({ code: 'HostNotAllowed' });
    expect(JSON.parse(counters.body).error.message).toMatch(/--allowed-host evil\.example/);
    // The ingestion call checks its token instead: clients in containers use other names.
    const ingest = await post(emu.streamUrl() + V, [record()], {
      token: emu.token(),
      headers: { host: 'evil.example' },
    });
    expect(ingest.status).toBe(204);
  });
});

describe('requests from web pages', () => {
  it("refuses a foreign Origin, serves the emulator's own", async () => {
    const foreign = await http(`${emu.endpoint}/counters`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body).error.code).toBe('OriginNotAllowed');
    expect((await http(`${emu.endpoint}/counters`, { headers: { origin: 'null' } })).status).toBe(
      403,
    );
    const own = await http(`${emu.endpoint}/counters`, { headers: { origin: emu.endpoint } });
    expect(own.status).toBe(200);
  });

  it('control endpoints refuse a simple request (no JSON type, no control header)', async () => {
    emu.faults.clear();
    const simple = await http(`${emu.endpoint}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '[{"status":503}]',
    });
    expect(simple.status).toBe(415);
    expect(JSON.parse(simple.body).error.code).toBe('ControlNeedsJson');
    const form = await http(`${emu.endpoint}/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    // Nothing was queued: the next POST is served normally.
    expect((await post(emu.streamUrl() + V, [record()], { token: emu.token() })).status).toBe(204);
    const json = await http(`${emu.endpoint}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: '[]',
    });
    expect(json.status).toBe(200);
  });
});
