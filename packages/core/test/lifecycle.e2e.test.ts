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

function push(client: { push(r: object): boolean }, n: number, from = 0): void {
  for (let i = 0; i < n; i++) client.push(record(from + i));
}

describe('flush()', () => {
  it('resolves at once with the counters when nothing is pending', async () => {
    const { client } = clientFor(emu);
    expect(await client.flush()).toMatchObject({ accepted: 0, delivered: 0, bufferedBytes: 0 });
    await client.close();
  });

  it('waits for retrying records and not for records pushed after the call', async () => {
    const clock = new ManualClock();
    const { client } = clientFor(emu, { maxRetries: 3 }, clock);
    // A 500, not a throttle: after a 429 the retry would take the later records along (merged).
    emu.faults.enqueue({ status: 500 });
    push(client, 3);
    let resolved = false;
    const first = client.flush().then((s) => {
      resolved = true;
      return s;
    });
    // The backoff of a first failure, with the clock's random() of 0.5: 500 ms · 0.5.
    await until(() => clock.pending(250).length === 1);
    expect(resolved).toBe(false); // the three records are waiting for their retry
    push(client, 2, 3); // after the call: the first flush must not wait for them
    clock.fire(250);
    const stats = await first;
    expect(stats.delivered).toBe(3);
    // The two later records still wait for the (manual) flush timer.
    expect(client.stats().bufferedBytes).toBeGreaterThan(0);
    expect((await client.flush()).delivered).toBe(5);
    await client.close();
  });

  it('lets concurrent flushes all resolve', async () => {
    const { client } = clientFor(emu);
    push(client, 10);
    const a = client.flush();
    push(client, 10, 10);
    const b = client.flush();
    const [sa, sb] = await Promise.all([a, b]);
    expect(sa.delivered).toBeGreaterThanOrEqual(10);
    expect(sb.delivered).toBe(20);
    await client.close();
  });
});

describe('close()', () => {
  it('delivers what is pending, is idempotent, and refuses later records', async () => {
    const { client, failures } = clientFor(emu);
    push(client, 7);
    const closing = client.close();
    expect(client.close()).toBe(closing);
    const stats = await closing;
    expect(stats).toMatchObject({ delivered: 7, dropped: 0 });
    expect(emu.rows(TABLE)).toHaveLength(7);
    expect(client.push(record(8))).toBe(false);
    expect(client.pushJson('{"Message":"late"}')).toBe(false);
    await until(() => failures.length === 1);
    expect(failures[0]?.error.code).toBe(ErrorCodes.CLOSED);
    expect(failures[0]?.records).toHaveLength(2);
    expect(client.stats()).toMatchObject({ accepted: 9, delivered: 7, dropped: 2 });
    expect(await client.flush()).toMatchObject({ delivered: 7 });
  });

  it('is bounded by closeTimeoutMs: retrying records then fail with CLOSED', async () => {
    const clock = new ManualClock();
    const { client, failures, warnings } = clientFor(emu, { closeTimeoutMs: 3000 }, clock);
    emu.faults.enqueue({ status: 503, retryAfter: '20' });
    push(client, 4);
    const closing = client.close();
    await until(() => clock.pending(20_000).length === 1);
    expect(clock.pending(3000)).toHaveLength(1);
    clock.fire(3000);
    const stats = await closing;
    expect(stats).toMatchObject({ delivered: 0, dropped: 4, bufferedBytes: 0 });
    expect(failures[0]?.error.code).toBe(ErrorCodes.CLOSED);
    expect(failures[0]?.records).toHaveLength(4);
    expect(warnings.join('\n')).toContain('4 records dropped (close() timed out)');
  });

  it('is bounded by closeTimeoutMs: a hung request is aborted', async () => {
    const clock = new ManualClock();
    const { client, failures } = clientFor(emu, { closeTimeoutMs: 3000 }, clock);
    emu.faults.enqueue({ latencyMs: 60_000 });
    push(client, 2);
    const closing = client.close();
    await until(() => client.stats().inFlight === 1);
    clock.fire(3000);
    const stats = await closing;
    expect(stats).toMatchObject({ delivered: 0, dropped: 2 });
    expect(failures.map((f) => f.error.code)).toEqual([ErrorCodes.CLOSED]);
  });
});

describe('destroy()', () => {
  it('aborts what is in flight and fails the rest at once', async () => {
    const { client, failures } = clientFor(emu);
    emu.faults.enqueue({ latencyMs: 60_000 });
    push(client, 3);
    const flushed = client.flush();
    await until(() => client.stats().inFlight === 1);
    push(client, 2, 3);
    client.destroy();
    expect(client.stats()).toMatchObject({ dropped: 5, bufferedBytes: 0, delivered: 0 });
    expect((await flushed).dropped).toBe(5);
    await until(() => client.stats().inFlight === 0);
    expect(await client.close()).toMatchObject({ dropped: 5 });
    await until(() => failures.length === 2);
    expect(failures.every((f) => f.error.code === ErrorCodes.CLOSED)).toBe(true);
    expect(client.push(record(9))).toBe(false);
  });
});

describe('resources', () => {
  function resources(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
    return counts;
  }
  function noMoreThan(before: Map<string, number>): boolean {
    for (const [k, n] of resources()) if (n > (before.get(k) ?? 0)) return false;
    return true;
  }

  it('leaves no handles, timers or listeners after many create/close cycles', async () => {
    const before = resources();
    const listeners = process.listenerCount('beforeExit');
    for (let i = 0; i < 25; i++) {
      const { client } = clientFor(emu, { flushIntervalMs: 50 });
      push(client, 3);
      if (i % 2) await client.flush();
      expect(process.listenerCount('beforeExit')).toBe(listeners + 1);
      await client.close();
    }
    expect(process.listenerCount('beforeExit')).toBe(listeners);
    // Sockets finish closing on both ends within a few turns of the loop.
    await until(() => noMoreThan(before));
    expect(emu.rows(TABLE)).toHaveLength(75);
  });

  it('shares one beforeExit listener among open clients', async () => {
    const listeners = process.listenerCount('beforeExit');
    const clients = Array.from({ length: 15 }, () => clientFor(emu).client);
    expect(process.listenerCount('beforeExit')).toBe(listeners + 1);
    await Promise.all(clients.map((c) => c.close()));
    expect(process.listenerCount('beforeExit')).toBe(listeners);
  });
});
