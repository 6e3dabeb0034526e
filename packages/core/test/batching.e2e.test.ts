import type { Emulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../src/errors.js';
import { clientFor, emulator, ManualClock, record, TABLE, until } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const TIME = new Date().toISOString();

/** A record text of exactly `bytes` UTF-8 bytes, its Message made of 4-byte emoji, 3-byte € and padding. */
function recordOfBytes(bytes: number, tag: string): string {
  const frame = `{"TimeGenerated":"${TIME}","Level":"${tag}","Message":""}`;
  let room = bytes - Buffer.byteLength(frame);
  const emoji = Math.floor(room / 8);
  room -= emoji * 4;
  const euros = Math.floor(room / 3);
  room -= euros * 3;
  const text = frame.replace(
    '"Message":""',
    `"Message":"${'😀'.repeat(emoji)}${'€'.repeat(euros)}${'x'.repeat(room)}"`,
  );
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

describe('batching on the wire', () => {
  const limit = 4096;

  it('sends a body of exactly maxBatchBytes as one request', async () => {
    const { client, failures } = clientFor(emu, { maxBatchBytes: limit });
    const sizes = [1500, 1500, limit - 4 - 3000];
    for (const [i, n] of sizes.entries())
      expect(client.pushJson(recordOfBytes(n, `r${i}`))).toBe(true);
    const stats = await client.flush();
    expect(stats.delivered).toBe(3);
    expect(emu.requests().map((r) => r.decodedBytes)).toEqual([limit]);
    expect(stats.bytesRaw).toBe(limit);
    expect(emu.rows(TABLE)).toHaveLength(3);
    expect(failures).toEqual([]);
    await client.close();
  });

  it('splits when the body would be one byte over', async () => {
    const { client } = clientFor(emu, { maxBatchBytes: limit });
    const sizes = [1500, 1500, limit - 4 - 3000 + 1];
    for (const [i, n] of sizes.entries()) client.pushJson(recordOfBytes(n, `r${i}`));
    await client.flush();
    // Both requests may be in flight at once: compare sizes, not arrival order.
    const bodies = emu.requests().map((r) => r.decodedBytes);
    expect(bodies.sort((a, b) => a - b)).toEqual([limit - 4 - 3000 + 1 + 2, 3003]);
    expect(emu.rows(TABLE)).toHaveLength(3);
    await client.close();
  });

  it('rejects a record that cannot fit before sending anything, and sends one of limit − 2', async () => {
    const { client, failures } = clientFor(emu, { maxBatchBytes: 1024 });
    expect(client.pushJson(recordOfBytes(1023, 'big'))).toBe(false);
    expect(client.pushJson(recordOfBytes(1022, 'fits'))).toBe(true);
    const stats = await client.flush();
    expect(stats).toMatchObject({ accepted: 2, delivered: 1, rejected: 1 });
    expect(emu.requests().map((r) => r.decodedBytes)).toEqual([1024]);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error.code).toBe(ErrorCodes.RECORD_TOO_LARGE);
    expect(failures[0]?.records[0]).toContain('"Level":"big"');
    await client.close();
  });

  it('keeps every request under the limit for random multi-byte records pushed as objects', async () => {
    const { client } = clientFor(emu, { maxBatchBytes: 8192 });
    const alphabet = ['a', 'é', '€', '😀', '中', '"', '\\', '\n'];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 600; i++) {
      const len = Math.floor(rand() * 300);
      let msg = '';
      for (let k = 0; k < len; k++) msg += alphabet[Math.floor(rand() * alphabet.length)];
      client.push(record(i, msg));
    }
    const stats = await client.flush();
    expect(stats.delivered).toBe(600);
    const sizes = emu.requests().map((r) => r.decodedBytes);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8192);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(stats.bytesRaw);
    expect(emu.rows(TABLE)).toHaveLength(600);
    await client.close();
  });

  it('closes batches on maxBatchRecords', async () => {
    const { client } = clientFor(emu, { maxBatchRecords: 10 });
    for (let i = 0; i < 25; i++) client.push(record(i));
    await client.flush();
    expect(
      emu
        .requests()
        .map((r) => r.records)
        .sort((a, b) => a - b),
    ).toEqual([5, 10, 10]);
    await client.close();
  });
});

describe('the flush interval', () => {
  it('sends a partial batch when its one re-armed timer fires', async () => {
    const clock = new ManualClock();
    const { client } = clientFor(emu, { flushIntervalMs: 1234 }, clock);
    for (let i = 0; i < 50; i++) client.push(record(i));
    expect(clock.pending(1234)).toHaveLength(1);
    expect(emu.requests()).toHaveLength(0);
    clock.fire(1234);
    await until(() => emu.rows(TABLE).length === 50);
    expect(emu.requests()).toHaveLength(1);
    await until(() => client.stats().bufferedBytes === 0);
    for (let i = 0; i < 5; i++) client.push(record(i));
    // The same timer object is re-armed, not a new one created.
    expect(clock.timers.filter((t) => t.ms === 1234)).toHaveLength(1);
    clock.fire(1234);
    await until(() => emu.rows(TABLE).length === 55);
    await client.close();
  });

  it('sends a full batch without waiting for the timer', async () => {
    const clock = new ManualClock();
    const { client } = clientFor(emu, { maxBatchRecords: 20 }, clock);
    for (let i = 0; i < 45; i++) client.push(record(i));
    await until(() => emu.rows(TABLE).length === 40);
    expect(emu.requests().map((r) => r.records)).toEqual([20, 20]); // same size, any order
    clock.fire(2000);
    await until(() => emu.rows(TABLE).length === 45);
    await client.close();
  });
});
