import diagnosticsChannel from 'node:diagnostics_channel';
import type { Emulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pushJsonUnchecked } from '../src/client.js';
import {
  CHANNELS,
  type RequestEndMessage,
  type RequestStartMessage,
} from '../src/report/diagnostics.js';
import type { TokenCredential } from '../src/types.js';
import { clientFor, emulator, ManualClock, record, until } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

function listen<T>(name: string): { messages: T[]; stop: () => void } {
  const messages: T[] = [];
  const fn = (m: unknown) => messages.push(m as T);
  diagnosticsChannel.subscribe(name, fn);
  return { messages, stop: () => diagnosticsChannel.unsubscribe(name, fn) };
}

describe('diagnostics_channel', () => {
  it('publishes request start and end, with the retry delay', async () => {
    const start = listen<RequestStartMessage>(CHANNELS.requestStart);
    const end = listen<RequestEndMessage>(CHANNELS.requestEnd);
    try {
      const clock = new ManualClock();
      const { client } = clientFor(emu, {}, clock);
      emu.faults.enqueue({ status: 503, retryAfter: '3' });
      for (let i = 0; i < 4; i++) client.push(record(i));
      const flushed = client.flush();
      await until(() => clock.pending(3000).length === 1);
      clock.fire(3000);
      const stats = await flushed;
      expect(start.messages.map((m) => m.attempt)).toEqual([1, 2]);
      expect(start.messages[0]).toMatchObject({
        url: `${emu.streamUrl()}?api-version=2023-01-01`,
        records: 4,
      });
      expect(start.messages[0]?.bytesRaw).toBe(stats.bytesRaw / 2);
      expect(start.messages[0]?.bytesGzipped).toBeGreaterThan(0);
      expect(end.messages.map((m) => [m.status, m.retry])).toEqual([
        [503, 3000],
        [204, undefined],
      ]);
      const ids = emu.requests().map((r) => r.clientRequestId);
      expect(end.messages.map((m) => m.clientRequestId)).toEqual(ids);
      expect(end.messages.every((m) => typeof m.durationMs === 'number')).toBe(true);
      await client.close();
    } finally {
      start.stop();
      end.stop();
    }
  });

  it('reports transport errors by code', async () => {
    const end = listen<RequestEndMessage>(CHANNELS.requestEnd);
    try {
      const { client } = clientFor(emu, { maxRetries: 0 });
      emu.faults.enqueue({ reset: true });
      client.push(record(1));
      const stats = await client.flush();
      expect(stats.requests).toEqual({ network: 1 });
      expect(end.messages[0]?.status).toBeUndefined();
      expect(end.messages[0]?.errorCode).toMatch(/^(ECONNRESET|UND_ERR_SOCKET)$/);
      await client.close();
    } finally {
      end.stop();
    }
  });
});

describe('counters and hooks', () => {
  it('counts requests by status and bytes raw and gzipped', async () => {
    const { client } = clientFor(emu, { maxBatchRecords: 5 });
    emu.faults.enqueue({ status: 403 }); // permanent, not split (a 400 would be)
    for (let i = 0; i < 10; i++) client.push(record(i, 'the same message again and again'));
    const stats = await client.flush();
    expect(stats.requests).toEqual({ 204: 1, 403: 1 });
    expect(stats).toMatchObject({
      accepted: 10,
      delivered: 5,
      rejected: 5,
      bufferedBytes: 0,
      inFlight: 0,
    });
    // Both batches have the same size (records differ only in one digit); the 403 is not decoded.
    expect(stats.bytesRaw).toBe(
      2 * (emu.requests().find((r) => r.status === 204)?.decodedBytes ?? 0),
    );
    expect(stats.bytesGzipped).toBe(emu.requests().reduce((s, r) => s + r.wireBytes, 0));
    expect(stats.bytesGzipped).toBeLessThan(stats.bytesRaw);
    await client.close();
  });

  it('counts and ignores errors thrown by onError', async () => {
    const { client } = clientFor(emu, {
      onError: () => {
        throw new Error('dead letter broken');
      },
    });
    emu.faults.enqueue({ status: 403 });
    client.push(record(1));
    client.push([] as unknown as object); // invalid: reported from a microtask
    const stats = await client.flush();
    await until(() => client.stats().hookErrors === 2);
    expect(stats.rejected).toBe(2);
    client.push(record(2));
    expect((await client.flush()).delivered).toBe(1);
    await client.close();
  });

  it('rejects non-object records and non-object JSON text', async () => {
    const { client, failures } = clientFor(emu);
    expect(client.push('text' as unknown as object)).toBe(false);
    expect(client.push(null as unknown as object)).toBe(false);
    expect(client.pushJson('[1,2]')).toBe(false);
    expect(client.pushJson('not json')).toBe(false);
    await until(() => failures.length === 2); // one aggregated report per reason
    expect(failures.map((f) => f.error.code)).toEqual([
      'ERR_INGESTION_INVALID_RECORD',
      'ERR_INGESTION_INVALID_RECORD',
    ]);
    expect(failures.map((f) => f.records.length)).toEqual([2, 2]);
    expect(client.stats()).toMatchObject({ accepted: 4, rejected: 4 });
    await client.close();
  });
});

describe('pushJson()', () => {
  it('sends the text as given, and adds a record id when asked', async () => {
    const { client } = clientFor(emu, { recordId: true });
    expect(client.pushJson('{"Message":"from pino","Level":"info"}\n')).toBe(true);
    expect(client.pushJson('{ }')).toBe(true);
    client.push(record(3));
    const stats = await client.flush();
    expect(stats.delivered).toBe(3);
    const rows = emu.rows('AppLogs_CL');
    expect(rows.map((r) => r.Message)).toEqual(
      ['from pino', null, 'message 3'].map((m) => m ?? rows[1]?.Message),
    );
    for (const r of rows) expect(r.RecordId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(rows.map((r) => r.RecordId)).size).toBe(3);
    // The byte accounting of the spliced text is exact.
    expect(stats.bytesRaw).toBe(emu.requests()[0]?.decodedBytes);
    await client.close();
  });

  it('truncates over-long fields of large JSON text through the serializer', async () => {
    const { client } = clientFor(emu);
    const big = 'x'.repeat(100_000);
    expect(
      client.pushJson(JSON.stringify({ TimeGenerated: new Date().toISOString(), Message: big })),
    ).toBe(true);
    await client.flush();
    const message = String(emu.rows('AppLogs_CL')[0]?.Message);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(65_536);
    await client.close();
  });
});

describe('pushJsonUnchecked()', () => {
  it('sends writer text as is, with exact byte accounting for non-ASCII text', async () => {
    const { client } = clientFor(emu);
    const now = new Date().toISOString();
    const messages = Array.from({ length: 300 }, (_, i) => `entrée ${i} 😀`);
    // Built from pieces, as a record writer's text is (a rope V8 has not flattened).
    for (const m of messages) {
      const text = `{"TimeGenerated":"${now}"` + `,"Message":"${m}"}`;
      expect(pushJsonUnchecked(client, text)).toBe(true);
    }
    const stats = await client.flush();
    expect(stats).toMatchObject({ accepted: 300, delivered: 300, bufferedBytes: 0 });
    expect(emu.rows('AppLogs_CL').map((r) => r.Message)).toEqual(messages);
    const decoded = emu.requests().reduce((a, r) => a + (r.decodedBytes ?? 0), 0);
    expect(stats.bytesRaw).toBe(decoded);
    await client.close();
  });

  it('lets the 400 isolation reject text that is not JSON, and delivers the rest', async () => {
    const { client, failures } = clientFor(emu);
    for (let i = 0; i < 9; i++) client.push(record(i));
    pushJsonUnchecked(client, 'not json');
    const stats = await client.flush();
    expect(stats).toMatchObject({ delivered: 9, rejected: 1, bufferedBytes: 0 });
    expect(failures.flatMap((f) => f.records)).toEqual(['not json']);
    await client.close();
  });
});

describe('warnings', () => {
  it('prints one aggregated, rate-limited line', async () => {
    const { client, warnings } = clientFor(emu, {
      maxBufferBytes: 1024,
      overflow: 'drop-newest',
      warningIntervalMs: 60_000,
    });
    emu.faults.enqueue({ status: 403 }, { status: 403 });
    for (let i = 0; i < 30; i++) client.push(record(i));
    await client.flush();
    expect(warnings).toHaveLength(1); // the first line went out at once, the rest is held back
    for (let i = 0; i < 30; i++) client.push(record(i));
    await client.flush();
    expect(warnings).toHaveLength(1);
    await client.close(); // prints what is pending
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^azure-ingestion-core: \d+ records dropped \(buffer full, policy drop-newest\)$/,
    );
    expect(warnings[1]).toMatch(
      /^azure-ingestion-core: \d+ records (dropped \(buffer full, policy drop-newest\)|rejected \(403 ERR_INGESTION_FORBIDDEN)/,
    );
    // The service's own error, then the hint.
    expect(warnings.join('\n')).toContain(
      'rejected (403 ERR_INGESTION_FORBIDDEN (OperationFailed: Injected fault: 403 OperationFailed.): the identity needs',
    );
  });

  it('can be silenced', async () => {
    const { client, warnings, failures } = clientFor(emu, { warnings: false });
    emu.faults.enqueue({ status: 403 });
    client.push(record(1));
    await client.close();
    expect(warnings).toEqual([]);
    expect(failures).toHaveLength(1);
  });
});

describe('secrecy', () => {
  it('never puts a token in errors, warnings or diagnostics', async () => {
    const secret = emu.token({ audience: 'https://management.azure.com' });
    const published: unknown[] = [];
    const sub = (m: unknown) => published.push(m);
    diagnosticsChannel.subscribe(CHANNELS.requestStart, sub);
    diagnosticsChannel.subscribe(CHANNELS.requestEnd, sub);
    const credential: TokenCredential = {
      getToken: async () => ({ token: secret, expiresOnTimestamp: Date.now() + 3_600_000 }),
    };
    try {
      const { client, failures, warnings } = clientFor(emu, {
        token: undefined,
        credential,
        maxRetries: 0,
      });
      client.push(record(1)); // 401 twice (wrong audience)
      await client.flush();
      emu.faults.enqueue({ status: 403 }, { status: 500 });
      client.push(record(2));
      await client.flush();
      client.push(record(3));
      await client.close();
      expect(failures.length).toBeGreaterThanOrEqual(3);
      const everything = [
        ...warnings,
        ...failures.flatMap((f) => [
          f.error.message,
          f.error.stack ?? '',
          JSON.stringify(f.error),
          String(f.error.cause),
        ]),
        JSON.stringify(published),
        JSON.stringify(client.stats()),
        JSON.stringify(client.config),
      ].join('\n');
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(secret.split('.')[2]); // not even the signature
    } finally {
      diagnosticsChannel.unsubscribe(CHANNELS.requestStart, sub);
      diagnosticsChannel.unsubscribe(CHANNELS.requestEnd, sub);
    }
  });
});
