import type { Emulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../src/errors.js';
import { clientFor, emulator, ManualClock, TABLE, until } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const TIME = new Date().toISOString();
/** A 100-byte record text numbered `i`. */
function rec(i: number): string {
  const text = `{"TimeGenerated":"${TIME}","Message":"${String(i).padStart(5, '0')}"}`;
  return text + ' '.repeat(100 - Buffer.byteLength(text));
}
const texts = (n: number, from = 0) => Array.from({ length: n }, (_, k) => rec(from + k));

describe('the byte budget', () => {
  it('drop-oldest drops queued records, keeps the newest, and counts every drop', async () => {
    const clock = new ManualClock();
    const { client, failures, warnings } = clientFor(
      emu,
      { maxBufferBytes: 1024, overflow: 'drop-oldest' },
      clock,
    );
    // pushJson trims the trailing padding: measure what is actually queued.
    const size = Buffer.byteLength(rec(0).trim());
    const fit = Math.floor(1024 / size);
    for (const t of texts(fit + 5)) expect(client.pushJson(t)).toBe(true);
    expect(client.stats()).toMatchObject({
      accepted: fit + 5,
      dropped: 5,
      bufferedBytes: fit * size,
    });
    const stats = await client.flush();
    expect(stats).toMatchObject({ delivered: fit, dropped: 5, rejected: 0, bufferedBytes: 0 });
    const messages = emu.rows(TABLE).map((r) => r.Message);
    expect(messages).toEqual(Array.from({ length: fit }, (_, k) => String(k + 5).padStart(5, '0')));
    expect(failures).toHaveLength(1); // one aggregated report per burst
    expect(failures[0]?.error.code).toBe(ErrorCodes.BUFFER_OVERFLOW);
    expect(failures[0]?.records.map((r) => JSON.parse(r).Message)).toEqual([
      '00000',
      '00001',
      '00002',
      '00003',
      '00004',
    ]);
    await client.close();
    expect(warnings).toEqual([
      'azure-ingestion-core: 5 records dropped (buffer full, policy drop-oldest)',
    ]);
  });

  it('keeps the budget exact when records are not ASCII (sizes known only once written)', async () => {
    const { client } = clientFor(emu, { maxBufferBytes: 4096, overflow: 'drop-oldest' });
    // 2 bytes per "é": a record's UTF-16 length understates its size until it is written.
    const text = (i: number) => `{"TimeGenerated":"${TIME}","Message":"${'é'.repeat(40)}${i}"}`;
    for (let i = 0; i < 200; i++) client.pushJson(text(i));
    const queued = client.stats();
    expect(queued.bufferedBytes).toBeGreaterThan(0);
    expect(queued.bufferedBytes).toBeLessThanOrEqual(4096);
    const stats = await client.flush();
    expect(stats.bufferedBytes).toBe(0);
    expect(stats.delivered + stats.dropped).toBe(200);
    const rows = emu.rows(TABLE);
    expect(rows).toHaveLength(stats.delivered);
    // drop-oldest: what was delivered is the newest, in order.
    expect(rows.map((r) => r.Message)).toEqual(
      Array.from(
        { length: stats.delivered },
        (_, k) => `${'é'.repeat(40)}${200 - stats.delivered + k}`,
      ),
    );
    await client.close();
  });

  it('drop-newest refuses new records and keeps the queued ones', async () => {
    const { client, failures } = clientFor(emu, { maxBufferBytes: 1024, overflow: 'drop-newest' });
    const size = Buffer.byteLength(rec(0).trim());
    const fit = Math.floor(1024 / size);
    const results = texts(fit + 3).map((t) => client.pushJson(t));
    expect(results.filter((r) => !r)).toHaveLength(3);
    expect(results.slice(0, fit).every(Boolean)).toBe(true);
    const stats = await client.flush();
    expect(stats).toMatchObject({ accepted: fit + 3, delivered: fit, dropped: 3 });
    expect(failures[0]?.records.map((r) => JSON.parse(r).Message)).toEqual(
      [fit, fit + 1, fit + 2].map((k) => String(k).padStart(5, '0')),
    );
    await client.close();
  });

  it('never drops in-flight or retrying records: with nothing queued, the newest is dropped', async () => {
    const clock = new ManualClock();
    const { client, failures } = clientFor(
      emu,
      { maxBufferBytes: 1024, overflow: 'drop-oldest' },
      clock,
    );
    emu.faults.enqueue({ status: 503, retryAfter: '5' });
    const size = Buffer.byteLength(rec(0).trim());
    const fit = Math.floor(1024 / size);
    for (const t of texts(fit)) client.pushJson(t);
    const flushed = client.flush();
    await until(() => clock.pending(5000).length === 1); // the whole buffer is now retrying
    expect(client.stats().bufferedBytes).toBe(fit * size);
    expect(client.pushJson(rec(99))).toBe(false);
    clock.fire(5000);
    const stats = await flushed;
    expect(stats).toMatchObject({ delivered: fit, dropped: 1, accepted: fit + 1 });
    await until(() => failures.length === 1);
    expect(JSON.parse(failures[0]?.records[0] ?? '{}').Message).toBe('00099');
    await client.close();
  });

  it('keeps accepted = delivered + rejected + dropped + pending', async () => {
    const { client } = clientFor(emu, { maxBufferBytes: 2048, maxBatchBytes: 1024 });
    for (let i = 0; i < 200; i++)
      client.pushJson(i % 50 === 0 ? `{"x":"${'y'.repeat(1100)}"}` : rec(i));
    const s = await client.flush();
    expect(s.accepted).toBe(200);
    expect(s.delivered + s.rejected + s.dropped).toBe(200);
    expect(s.rejected).toBe(4); // the four records too large for any request
    await client.close();
  });
});
