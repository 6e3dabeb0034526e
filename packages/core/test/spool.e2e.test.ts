/**
 * The durable spool in-process, against the emulator, on scaled time (VirtualClock): records
 * reach the disk within one flush interval, leave it once delivered, outlive the memory budget
 * until the spool's cap, and are taken over by the next client on the same folder.
 */
import type { Emulator } from 'azure-ingestion-emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../src/errors.js';
import { clientFor, emulator, record, TABLE, until, VirtualClock } from './helpers.js';
import { allFiles, removeTempDirs, segFiles, spooledRecords, tempDir } from './spool-files.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());
afterEach(async () => {
  await emu.up();
  removeTempDirs();
});

const index = (text: string) => (JSON.parse(text) as { Properties: { i: number } }).Properties.i;
const delivered = () => emu.rows(TABLE).map((r) => (r.Properties as { i: number }).i);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

/** A client with a spool on scaled time; `clock.settled` waits for requests in flight. */
function spooled(dir: string, options: Parameters<typeof clientFor>[1] = {}) {
  const clock = new VirtualClock();
  const made = clientFor(emu, { spoolDir: dir, flushIntervalMs: 1000, ...options }, clock);
  clock.settled = () => made.client.stats().inFlight === 0;
  return { ...made, clock };
}

describe('the spool', () => {
  it('has every record on disk one flush interval after it was accepted, and none once delivered', async () => {
    const dir = tempDir();
    const { client, clock } = spooled(dir);
    await emu.down('refuse');
    for (let i = 0; i < 10; i++) client.push(record(i));
    expect(client.stats().spooled).toBe(0);
    await clock.advance(1000);
    await until(() => client.stats().spooled === 10);
    expect(spooledRecords(dir).map(index)).toEqual(range(0, 10));
    expect(client.stats().spoolBytes).toBeGreaterThan(0);

    await emu.up();
    await clock.advance(31_000, 250);
    await until(() => client.stats().delivered === 10);
    await until(() => segFiles(dir).length === 0);
    expect(client.stats()).toMatchObject({ spooled: 0, spoolBytes: 0, replayed: 0 });
    expect(delivered()).toEqual(range(0, 10));
    await client.close();
    // The client's folder goes with it; the destination's folder stays for the next one.
    expect(allFiles(dir)).toEqual([]);
  });

  it('keeps the outage longer than the memory budget: nothing dropped until the spool is full', async () => {
    const dir = tempDir();
    const { client, clock, failures } = spooled(dir, {
      maxBufferBytes: 8192,
      maxBatchBytes: 2048,
      spoolMaxBytes: 65_536,
      maxConcurrency: 1,
    });
    await emu.down('refuse');
    let pushed = 0;
    // Far more than the memory budget, below the spool's cap.
    while (client.stats().spoolBytes < 40_000) {
      for (let k = 0; k < 20; k++) client.push(record(pushed++));
      await clock.advance(1000);
      await until(() => client.stats().spooled === pushed);
      expect(client.stats().bufferedBytes).toBeLessThanOrEqual(8192);
    }
    expect(client.stats()).toMatchObject({ accepted: pushed, dropped: 0 });
    expect(failures).toEqual([]);

    // Past the cap: drop-oldest deletes the oldest files on disk only, counted and reported.
    const before = pushed;
    for (let round = 0; round < 20; round++) {
      for (let k = 0; k < 20; k++) client.push(record(pushed++));
      await clock.advance(1000);
    }
    // Counted at once; reported once each dropped file was read back for onError.
    const reported = () => failures.reduce((n, f) => n + f.records.length, 0);
    await until(() => client.stats().dropped > 0 && reported() === client.stats().dropped);
    expect(client.stats().spoolBytes).toBeLessThanOrEqual(65_536);
    expect(failures.every((f) => f.error.code === ErrorCodes.BUFFER_OVERFLOW)).toBe(true);
    expect(failures[0]?.error.message).toMatch(
      /spool full \(spoolMaxBytes 65536\), policy drop-oldest/,
    );
    const droppedTexts = failures.flatMap((f) => f.records.map(index));

    await emu.up();
    for (
      let t = 0;
      t < 600_000 && client.stats().delivered + client.stats().dropped < pushed;
      t += 1000
    ) {
      await clock.advance(1000, 250);
    }
    const stats = await client.close();
    expect(stats.accepted).toBe(stats.delivered + stats.rejected + stats.dropped + stats.spooled);
    expect(stats).toMatchObject({ accepted: pushed, rejected: 0, spooled: 0 });
    expect(stats.dropped).toBeGreaterThan(0);
    const rows = delivered();
    expect(rows).toHaveLength(stats.delivered);
    expect(rows).toEqual([...rows].sort((a, b) => a - b)); // in order
    expect(new Set([...rows, ...droppedTexts]).size).toBe(pushed); // each once: sent or dropped
    expect(rows.at(-1)).toBe(pushed - 1);
    expect(before).toBeGreaterThan(0);
  });
});
