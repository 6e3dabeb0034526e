/**
 * The adaptive request rate after a throttle (engine/rate-control.ts, engine/merge.ts): the
 * decision table of RateControl, then a client on a manual clock whose flush timer shows the
 * effective interval, and the emulator's request log the merged requests.
 */
import type { Emulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_INTERVAL_MS, RateControl, RECOVERY } from '../src/engine/rate-control.js';
import {
  clientFor,
  emulator,
  expectAccounted,
  ManualClock,
  record,
  TABLE,
  until,
} from './helpers.js';

describe('RateControl', () => {
  const half = () => 0.5; // no jitter: 0.75 + 0.5 / 2 = 1

  it('keeps the configured interval, without jitter, until a throttle', () => {
    const rate = new RateControl(2000, () => 0.99);
    rate.succeeded(10_000);
    expect(rate.engaged).toBe(false);
    expect(rate.nextDelayMs()).toBe(2000);
  });

  it('doubles once per round trip: a throttle of a request started before the last one is the same', () => {
    const rate = new RateControl(2000, half);
    expect(rate.throttled(100, 500)).toBe(true);
    expect(rate.intervalMs).toBe(4000);
    expect(rate.throttled(200, 520)).toBe(false); // in flight when the first 429 came
    expect(rate.intervalMs).toBe(4000);
    expect(rate.throttled(600, 900)).toBe(true); // sent after it: slowed down again
    expect(rate.intervalMs).toBe(8000);
    expect(rate.engaged).toBe(true);
  });

  it('shrinks back linearly in time while requests succeed, to the configured interval', () => {
    const rate = new RateControl(2000, half);
    rate.throttled(0, 0);
    rate.succeeded(RECOVERY * 1000); // 1 s back per RECOVERY s
    expect(rate.intervalMs).toBe(3000);
    rate.succeeded(RECOVERY * 10_000);
    expect(rate.intervalMs).toBe(2000);
    expect(rate.engaged).toBe(false);
  });

  it('is capped at MAX_INTERVAL_MS (or the configured interval when longer)', () => {
    const rate = new RateControl(2000, half);
    for (let t = 0; t < 20; t++) rate.throttled(t, t);
    expect(rate.intervalMs).toBe(MAX_INTERVAL_MS);
    const slow = new RateControl(120_000, half);
    slow.throttled(0, 0);
    expect(slow.intervalMs).toBe(120_000);
  });

  it('spreads the timer by ±25% while engaged', () => {
    let r = 0;
    const rate = new RateControl(1000, () => r);
    rate.throttled(0, 0);
    expect(rate.nextDelayMs()).toBe(1500); // 2000 · 0.75
    r = 0.75;
    expect(rate.nextDelayMs()).toBe(2250); // 2000 · (0.75 + 0.75 / 2)
  });
});

let emu: Emulator;
beforeAll(async () => {
  emu = await emulator();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const INTERVAL = 1000;

function setup() {
  const clock = new ManualClock(); // random() is 0.5: no jitter
  return { clock, ...clientFor(emu, { flushIntervalMs: INTERVAL }, clock) };
}

function push(client: { push(r: object): boolean }, from: number, n: number): void {
  for (let i = from; i < from + n; i++) client.push(record(i));
}

/** Sends what the timer holds: the pending flush timer of `ms` fires, then the answer comes. */
async function timerFlush(clock: ManualClock, ms: number, requests: number): Promise<void> {
  expect(clock.fire(ms)).toBe(1);
  await until(() => emu.requests().length === requests);
}

describe('a client throttled by its rule', () => {
  it('never throttled, sends one request per timer flush at the configured interval', async () => {
    const { clock, client } = setup();
    for (let k = 0; k < 4; k++) {
      push(client, k * 10, 10);
      await timerFlush(clock, INTERVAL, k + 1);
    }
    // A 500 is not a throttle: the interval and the requests stay as they were.
    emu.faults.enqueue({ status: 500 });
    push(client, 40, 10);
    await timerFlush(clock, INTERVAL, 5);
    push(client, 50, 10);
    await until(() => clock.pending(250).length === 1);
    clock.fire(250); // the probe (backoff 500 · 0.5): the failed batch alone
    await until(() => emu.requests().length === 6);
    await until(() => client.stats().delivered === 40 + 10);
    await timerFlush(clock, INTERVAL, 7);
    expect(emu.requests().map((r) => r.records)).toEqual([10, 10, 10, 10, 0, 10, 10]);
    expectAccounted(await client.close());
  });

  it('after a 429, flushes at a doubled interval and merges what waits into one request', async () => {
    const { clock, client } = setup();
    push(client, 0, 10);
    emu.faults.enqueue({ status: 429, retryAfter: '3' });
    await timerFlush(clock, INTERVAL, 1);
    await until(() => clock.pending(3000).length === 1); // paused for the Retry-After
    // Logging goes on during the pause: two flush timers' worth of records.
    push(client, 10, 10);
    expect(clock.fire(2 * INTERVAL)).toBe(1); // the flush timer, at the doubled interval
    push(client, 20, 10);
    clock.fire(3000);
    // One request: the throttled batch and the 20 records queued since.
    await until(() => client.stats().delivered === 30);
    expect(emu.requests().map((r) => [r.status, r.records])).toEqual([
      [429, 0],
      [204, 30],
    ]);
    // The next records wait twice the configured interval.
    push(client, 30, 5);
    expect(clock.pending(2 * INTERVAL)).toHaveLength(1);
    await timerFlush(clock, 2 * INTERVAL, 3);
    expect(emu.rows(TABLE).map((r) => (r.Properties as { i: number }).i)).toEqual(
      Array.from({ length: 35 }, (_, i) => i),
    );
    expectAccounted(await client.close());
  });

  it('after a 413 split, never merges the halves back', async () => {
    const { clock, client } = setup();
    push(client, 0, 4);
    emu.faults.enqueue({ status: 429, retryAfter: '1' }, { status: 413 });
    await timerFlush(clock, INTERVAL, 1);
    await until(() => clock.pending(1000).length === 1);
    clock.fire(1000);
    await until(() => client.stats().delivered === 4);
    expect(emu.requests().map((r) => [r.status, r.records])).toEqual([
      [429, 0],
      [413, 0],
      [204, 2],
      [204, 2],
    ]);
    expectAccounted(await client.close());
  });
});
