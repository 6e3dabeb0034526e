/**
 * A 400 (a body the service cannot parse) is isolated by splitting, like a 413: the good
 * records are delivered and only the bad one is rejected, in ~2·log2(n) requests; when both
 * halves of a split get a 400 (systematic), the split stops and all their records are rejected.
 */
import type { Emulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCodes, type IngestionError } from '../src/errors.js';
import { clientFor, emulator, ManualClock, record, TABLE } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

/** A fault answering `status` after 300 ms (the emulator's latency fault names what follows `then`). */
// biome-ignore lint/suspicious/noThenProperty: the emulator's fault schema, not a promise
const late = (status: number) => ({ latencyMs: 300, then: { status } });

/** JSON the service cannot parse; pushJson() only checks the braces, so it reaches the body. */
const BAD = '{"Message":"x",}';

/** A client on a manual clock: no timer fires by itself, flush() sends. */
function setup(options = {}) {
  return clientFor(emu, { maxRetries: 3, ...options }, new ManualClock());
}

describe('a poison record', () => {
  it.each([
    [0, 4],
    [50, 4],
    [100, 4],
    [37, 1],
    [100, 1],
  ])(
    'at position %i of 101 (maxConcurrency %i): 100 rows land, 1 rejected',
    async (at, maxConcurrency) => {
      const { client, failures, warnings } = setup({ maxConcurrency });
      let good = 0;
      for (let i = 0; i < 101; i++) {
        if (i === at) expect(client.pushJson(BAD)).toBe(true);
        else expect(client.push(record(good++))).toBe(true);
      }
      const stats = await client.flush();

      expect(emu.rows(TABLE)).toHaveLength(100);
      expect(stats).toMatchObject({
        accepted: 101,
        delivered: 100,
        rejected: 1,
        retried: 0,
        bufferedBytes: 0,
        inFlight: 0,
      });
      expect(failures).toHaveLength(1);
      expect(failures[0]?.records).toEqual([BAD]);
      expect(failures[0]?.error).toMatchObject({
        code: ErrorCodes.BAD_REQUEST,
        status: 400,
        recordCount: 1,
      });
      // One request for the batch, then two per halving down to the bad record.
      const requests = emu.requests();
      expect(requests.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(101)) + 1);
      expect(requests.filter((r) => r.status === 204).length).toBe(requests.length / 2 - 0.5);
      await client.close();
      expect(warnings.join('\n')).toContain('1 record rejected (400 ERR_INGESTION_BAD_REQUEST');
    },
  );

  it('isolates two bad records in the same half, and delivers the rest', async () => {
    const { client, failures } = setup();
    client.pushJson(BAD);
    client.pushJson('{"Message":}');
    for (let i = 0; i < 98; i++) client.push(record(i));
    const stats = await client.flush();
    expect(stats).toMatchObject({ delivered: 98, rejected: 2, bufferedBytes: 0 });
    expect(emu.rows(TABLE)).toHaveLength(98);
    expect(failures.flatMap((f) => f.records).sort()).toEqual(['{"Message":}', BAD].sort());
    expect(failures.every((f) => f.error.code === ErrorCodes.BAD_REQUEST)).toBe(true);
    await client.close();
  });

  it('keeps flush() waiting for the held half and settles the budget', async () => {
    // maxConcurrency 1: the first half's 400 comes back before its sibling is even sent, so
    // it is held; flush() resolves only once both are settled.
    const { client } = setup({ maxConcurrency: 1 });
    for (let i = 0; i < 20; i++) client.push(record(i));
    client.pushJson(BAD);
    const stats = await client.flush();
    expect(stats).toMatchObject({ delivered: 20, rejected: 1, bufferedBytes: 0, inFlight: 0 });
    expect(emu.rows(TABLE)).toHaveLength(20);
    await client.close();
  });
});

describe('a systematic 400', () => {
  it.each([4, 1])(
    'rejects all 50 records in 3 requests, in one report (maxConcurrency %i)',
    async (maxConcurrency) => {
      const { client, failures, warnings } = setup({ maxConcurrency });
      emu.faults.random([{ probability: 1, fault: { status: 400, errorCode: 'InvalidStream' } }]);
      const texts: string[] = [];
      for (let i = 0; i < 50; i++) {
        const r = record(i);
        texts.push(JSON.stringify(r));
        client.push(r);
      }
      const stats = await client.flush();
      expect(emu.requests()).toHaveLength(3);
      expect(stats).toMatchObject({
        accepted: 50,
        delivered: 0,
        rejected: 50,
        retried: 0,
        bufferedBytes: 0,
        inFlight: 0,
      });
      expect(stats.requests).toEqual({ 400: 3 });
      expect(failures).toHaveLength(1);
      expect(failures[0]?.records).toHaveLength(50);
      const messages = failures[0]?.records.map((t) => JSON.parse(t).Message);
      expect(messages).toEqual(texts.map((t) => JSON.parse(t).Message)); // in order
      expect(failures[0]?.error as IngestionError).toMatchObject({
        code: ErrorCodes.BAD_REQUEST,
        status: 400,
        serviceCode: 'InvalidStream',
        recordCount: 50,
      });
      await client.close();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('50 records rejected (400 ERR_INGESTION_BAD_REQUEST');
    },
  );

  it('splits again under a half whose sibling passed, then stops when both halves fail', async () => {
    // 8 records: [0,8) 400 → [0,4) 204, [4,8) 400 → [4,6) 400, [6,8) 400 → rejected at once.
    const { client, failures } = setup({ maxConcurrency: 1 });
    emu.faults.enqueue({ status: 400 }, { status: 204 }, { status: 400 });
    emu.faults.random([{ probability: 1, fault: { status: 400 } }]);
    for (let i = 0; i < 8; i++) client.push(record(i));
    const stats = await client.flush();
    expect(emu.requests().map((r) => r.status)).toEqual([400, 204, 400, 400, 400]);
    expect(stats).toMatchObject({ delivered: 4, rejected: 4, bufferedBytes: 0 });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.records.map((t) => JSON.parse(t).Properties.i)).toEqual([4, 5, 6, 7]);
    await client.close();
  });
});

describe('a 400 on one record', () => {
  it('is rejected without a split', async () => {
    const { client, failures } = setup();
    emu.faults.enqueue({ status: 400 });
    client.push(record(1));
    const stats = await client.flush();
    expect(emu.requests()).toHaveLength(1);
    expect(stats).toMatchObject({ delivered: 0, rejected: 1, bufferedBytes: 0 });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error).toMatchObject({ code: ErrorCodes.BAD_REQUEST, recordCount: 1 });
    await client.close();
  });

  it.each([
    // [0,2) gets its 400 first and is held; [2,3) gets a 400 and cannot split: both halves
    // failed, so [0,2) is rejected with it.
    [
      '[0,2) answers first',
      1,
      () => emu.faults.random([{ probability: 1, fault: { status: 400 } }]),
    ],
    // Both halves in flight together, the first to reach the emulator answered late: when that
    // is [0,2), the one-record half [2,3) gets its 400 first and is held (not rejected alone),
    // then rejected with [0,2). Either order must give one report.
    [
      'one half answered late',
      2,
      () => emu.faults.enqueue({ status: 400 }, late(400), { status: 400 }),
    ],
  ] as const)(
    'a 400 on both halves of 3 records is one report (%s)',
    async (_, maxConcurrency, plan) => {
      const { client, failures } = setup({ maxConcurrency });
      plan();
      for (let i = 0; i < 3; i++) client.push(record(i));
      const stats = await client.flush();
      expect(emu.requests()).toHaveLength(3);
      expect(stats).toMatchObject({ delivered: 0, rejected: 3, bufferedBytes: 0 });
      expect(failures).toHaveLength(1);
      expect(failures[0]?.records).toHaveLength(3);
      await client.close();
    },
  );

  it('rejects only the bad record when its sibling is delivered, whichever answers first', async () => {
    // [0,2) holds good records and [2,3) the bad one (the emulator answers it 400 for its
    // content). The halves are in flight together and the first to arrive is answered late: if
    // the bad half answers first it is held until its sibling is delivered, then rejected
    // alone; otherwise it is rejected alone at once. Either way: one report, the bad record only.
    const { client, failures } = setup({ maxConcurrency: 2 });
    emu.faults.enqueue({ latencyMs: 0 }, { latencyMs: 300 });
    client.push(record(0));
    client.push(record(1));
    client.pushJson(BAD);
    const stats = await client.flush();
    expect(emu.requests()).toHaveLength(3);
    expect(stats).toMatchObject({ delivered: 2, rejected: 1, bufferedBytes: 0 });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.records).toEqual([BAD]);
    await client.close();
  });
});
