/**
 * The durable spool in-process, against the emulator, on scaled time (VirtualClock): records
 * reach the disk within one flush interval, leave it once delivered, outlive the memory budget
 * until the spool's cap, and are taken over by the next client on the same folder.
 */
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/** Memory for ~60 records, the spool for ~400; one request at a time (in order). */
const SMALL = {
  maxBufferBytes: 8192,
  maxBatchBytes: 2048,
  spoolMaxBytes: 65_536,
  maxConcurrency: 1,
} as const;

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

  it('after a throttle: each body stays one file, deleted once delivered (no merging, no leftovers)', async () => {
    const dir = tempDir();
    // Small bodies (two records per flush interval), the kind a throttled client merges.
    const { client, clock } = spooled(dir, { flushIntervalMs: 100, maxConcurrency: 4 });
    emu.faults.enqueue({ status: 429, retryAfter: '2' });
    for (let i = 0; i < 80; i += 2) {
      client.push(record(i));
      client.push(record(i + 1));
      await clock.advance(100, 50);
    }
    await clock.advance(60_000, 250);
    await until(() => client.stats().delivered === 80);
    await until(() => segFiles(dir).length === 0);
    expect(client.stats()).toMatchObject({ spooled: 0, dropped: 0, rejected: 0 });
    // Every record once: nothing left on disk to be sent again by the next process.
    expect([...delivered()].sort((a, b) => a - b)).toEqual(range(0, 80));
    await client.close();
    expect(allFiles(dir)).toEqual([]);
  });

  it('keeps the outage longer than the memory budget: nothing dropped until the spool is full', async () => {
    const dir = tempDir();
    const { client, clock, failures } = spooled(dir, SMALL);
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
      // On disk, or dropped from it (nothing is delivered yet).
      await until(() => client.stats().spooled + client.stats().dropped === pushed);
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

describe('a spool that cannot be written', () => {
  it('warns, keeps the records in memory, and still delivers them', async () => {
    const dir = tempDir();
    const { client, clock, warnings } = spooled(dir, { maxConcurrency: 1, warningIntervalMs: 0 });
    await emu.down('refuse');
    for (let i = 0; i < 10; i++) client.push(record(i));
    await clock.advance(1000);
    await until(() => client.stats().spooled === 10);
    rmSync(dir, { recursive: true }); // the disk goes away under the client
    for (let i = 10; i < 20; i++) client.push(record(i));
    await clock.advance(1000);
    await until(() => warnings.some((w) => /spool: cannot write to /.test(w)));
    expect(warnings.join('\n')).toMatch(
      /spool: cannot write to .* \(ENOENT\); records stay in memory only until it can/,
    );
    await emu.up();
    await clock.advance(31_000, 250);
    await until(() => client.stats().delivered === 20);
    // (The outage gate may probe with the newer batch first: order is not the point here.)
    expect(delivered().sort((a, b) => a - b)).toEqual(range(0, 20));
    const stats = await client.close();
    expect(stats).toMatchObject({ accepted: 20, delivered: 20, dropped: 0, spooled: 0 });
  });
});

describe('a full spool with drop-newest', () => {
  it('keeps the oldest on disk, then memory, then refuses new records, each counted', async () => {
    const dir = tempDir();
    const { client, clock, failures } = spooled(dir, { ...SMALL, overflow: 'drop-newest' });
    await emu.down('refuse');
    let pushed = 0;
    // Until the spool is nearly full, everything is written (one file is about 2 KiB).
    while (client.stats().spoolBytes < 65_536 - 3 * 2048) {
      for (let k = 0; k < 20; k++) client.push(record(pushed++));
      await clock.advance(1000);
      await until(() => client.stats().spooled === pushed);
    }
    expect(client.stats().dropped).toBe(0);
    // Then new bodies stay in memory, and once memory is full new records are refused.
    while (client.stats().dropped === 0) {
      for (let k = 0; k < 20; k++) client.push(record(pushed++));
      await clock.advance(1000);
    }
    const { spoolBytes, dropped } = client.stats();
    expect(spoolBytes).toBeLessThanOrEqual(65_536);
    await until(() => failures.length > 0);
    expect(failures[0]?.error.code).toBe(ErrorCodes.BUFFER_OVERFLOW);
    expect(failures[0]?.error.message).toMatch(/buffer full, policy drop-newest/);
    const refused = failures.flatMap((f) => f.records.map(index));
    expect(refused.length).toBe(dropped);
    expect(refused).toEqual(range(pushed - dropped, pushed)); // the newest

    await emu.up();
    for (let t = 0; t < 600_000 && client.stats().delivered + dropped < pushed; t += 1000) {
      await clock.advance(1000, 250);
    }
    const stats = await client.close();
    expect(stats).toMatchObject({ accepted: pushed, delivered: pushed - dropped, spooled: 0 });
    expect(delivered()).toEqual(range(0, pushed - dropped));
  });
});

describe('the next client on the same folder', () => {
  it('takes over what a destroyed client left, oldest first, before its own records', async () => {
    const dir = tempDir();
    const first = spooled(dir, { maxBatchRecords: 10 });
    await emu.down('refuse');
    for (let i = 0; i < 25; i++) first.client.push(record(i));
    await first.clock.advance(1000);
    first.client.destroy(); // what is not on disk yet is written now, synchronously
    expect(spooledRecords(dir).map(index)).toEqual(range(0, 25));
    expect(first.client.stats()).toMatchObject({ accepted: 25, dropped: 0, spooled: 25 });

    await emu.up();
    // One request at a time: concurrent requests may land in any order.
    const next = spooled(dir, { maxBatchRecords: 10, maxConcurrency: 1 });
    expect(next.client.stats()).toMatchObject({ accepted: 25, replayed: 25, spooled: 25 });
    for (let i = 25; i < 30; i++) next.client.push(record(i));
    const stats = await next.client.flush();
    expect(stats).toMatchObject({ accepted: 30, delivered: 30, spooled: 0 });
    expect(delivered()).toEqual(range(0, 30));
    expect(next.warnings.join('\n')).toMatch(/25 records left by an earlier process found in/);
    await next.client.close();
    expect(segFiles(dir)).toEqual([]);
  });

  it('skips a torn file and a corrupt file, reports them, and sends the others', async () => {
    const dir = tempDir();
    const first = spooled(dir, { maxBatchRecords: 10 });
    await emu.down('refuse');
    for (let i = 0; i < 40; i++) first.client.push(record(i));
    await first.clock.advance(1000);
    first.client.destroy();
    const files = segFiles(dir);
    expect(files).toHaveLength(4);
    const torn = readFileSync(files[1] as string);
    writeFileSync(files[1] as string, torn.subarray(0, torn.length - 7)); // cut short
    const corrupt = readFileSync(files[2] as string);
    const at = corrupt.length - 20;
    corrupt.writeUInt8((corrupt[at] as number) ^ 0x20, at); // one flipped bit in a record
    writeFileSync(files[2] as string, corrupt);

    await emu.up();
    const next = spooled(dir, { maxConcurrency: 1 });
    const stats = await next.client.flush();
    expect(delivered()).toEqual([...range(0, 10), ...range(30, 40)]);
    expect(stats).toMatchObject({ accepted: 40, replayed: 40, delivered: 20, dropped: 20 });
    const skipped = next.failures.map((f) => f.error);
    expect(skipped.map((e) => [e.code, e.recordCount])).toEqual([
      [ErrorCodes.SPOOL_CORRUPT, 10],
      [ErrorCodes.SPOOL_CORRUPT, 10],
    ]);
    expect(skipped.map((e) => e.message).sort()).toEqual([
      expect.stringMatching(
        /10 records not delivered: spool file skipped: corrupt: checksum mismatch; kept as .*\.corrupt$/,
      ),
      expect.stringMatching(
        /10 records not delivered: spool file skipped: torn: \d+ of \d+ body bytes; kept as .*\.corrupt$/,
      ),
    ]);
    await next.client.close();
    const lines = next.warnings.join('\n');
    expect(lines).toMatch(/10 records dropped \(spool file skipped: (torn|corrupt)/);
    expect(lines).toMatch(/10 dropped \(spool file skipped: (torn|corrupt)/);
    expect(allFiles(dir).filter((f) => f.endsWith('.corrupt'))).toHaveLength(2);
    expect(segFiles(dir)).toEqual([]);
  });

  it('never sends a batch the service refused for good again', async () => {
    const dir = tempDir();
    const first = spooled(dir);
    await emu.down('refuse');
    for (let i = 0; i < 5; i++) first.client.push(record(i));
    await first.clock.advance(1000);
    await until(() => first.client.stats().spooled === 5);
    await emu.up();
    emu.faults.enqueue({ status: 403 });
    await first.clock.advance(31_000, 250);
    await until(() => first.client.stats().rejected === 5);
    await until(() => segFiles(dir).length === 0);
    expect(first.client.stats()).toMatchObject({ spooled: 0, spoolBytes: 0 });
    first.client.destroy();
    const next = spooled(dir);
    expect(next.client.stats()).toMatchObject({ accepted: 0, replayed: 0 });
    await next.client.close();
  });

  it('gets what close() could not deliver in closeTimeoutMs, counted spooled, not dropped', async () => {
    const dir = tempDir();
    const first = spooled(dir, { closeTimeoutMs: 2000 });
    await emu.down('refuse');
    for (let i = 0; i < 25; i++) first.client.push(record(i));
    const closing = first.client.close();
    await first.clock.advance(3000);
    const stats = await closing;
    expect(stats).toMatchObject({ accepted: 25, delivered: 0, dropped: 0, spooled: 25 });
    expect(first.failures).toEqual([]);
    expect(first.warnings.join('\n')).toMatch(
      /25 records kept in the spool \(.*\); the next client with this spoolDir sends them/,
    );

    await emu.up();
    const next = spooled(dir, { maxConcurrency: 1 });
    expect(await next.client.close()).toMatchObject({ accepted: 25, delivered: 25, spooled: 0 });
    expect(delivered()).toEqual(range(0, 25));
  });

  it('leaves alone the folder of a client that is still running', async () => {
    const dir = tempDir();
    const a = spooled(dir);
    const b = spooled(dir);
    await emu.down('refuse');
    for (let i = 0; i < 10; i++) a.client.push(record(i));
    for (let i = 10; i < 20; i++) b.client.push(record(i));
    await a.clock.advance(1000);
    await b.clock.advance(1000);
    await until(() => a.client.stats().spooled === 10 && b.client.stats().spooled === 10);
    const c = spooled(dir);
    expect(c.client.stats().replayed).toBe(0);
    await emu.up();
    await a.clock.advance(31_000, 250);
    await b.clock.advance(31_000, 250);
    await until(() => a.client.stats().delivered + b.client.stats().delivered === 20);
    expect(delivered().sort((x, y) => x - y)).toEqual(range(0, 20));
    for (const { client } of [a, b, c]) await client.close();
    expect(segFiles(dir)).toEqual([]);
  });

  it('takes over the folder of a client on another host once its heartbeat is a minute old', async () => {
    const dir = tempDir();
    const first = spooled(dir);
    await emu.down('refuse');
    for (let i = 0; i < 10; i++) first.client.push(record(i));
    first.client.destroy();
    await emu.up();
    // The folder now looks like a live client's on another host sharing the volume.
    const [folder] = allFiles(dir).filter((f) => f.endsWith('owner.json'));
    const owner = join(dir, folder as string);
    writeFileSync(owner, JSON.stringify({ pid: 1, hostname: 'elsewhere', threadId: 0 }));
    const next = spooled(dir, { maxConcurrency: 1 });
    const seconds = next.clock.now() / 1000;
    utimesSync(owner, seconds, seconds);
    expect(next.client.stats().replayed).toBe(0);
    await next.clock.advance(50_000, 1000); // heartbeat 50 s old: still alive
    expect(next.client.stats().replayed).toBe(0);
    await next.clock.advance(20_000, 1000); // over a minute: gone, taken over while running
    await until(() => next.client.stats().delivered === 10);
    expect(next.client.stats()).toMatchObject({ accepted: 10, replayed: 10, spooled: 0 });
    expect(delivered()).toEqual(range(0, 10));
    expect(next.warnings.join('\n')).toMatch(/10 records left by an earlier process/);
    await next.client.close();
  });
});
