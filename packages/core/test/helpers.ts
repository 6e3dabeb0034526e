/** Shared test helpers: an emulator per test file, clients wired to it, and a stepping clock. */
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { createClientWithClock, IngestionClient } from '../src/client.js';
import type { Clock, TimerHandle } from '../src/engine/clock.js';
import type { DeliveryFailure, IngestionOptions, IngestionStats } from '../src/types.js';

export const TABLE = 'AppLogs_CL';

export async function emulator(
  options: Parameters<typeof startEmulator>[0] = {},
): Promise<Emulator> {
  return startEmulator({ port: 0, ...options });
}

/** A client on the emulator's default stream with a static token; collects failures and warnings. */
/** Options of a test client; `token: undefined` removes the default static token. */
export type TestOptions = { [K in keyof IngestionOptions]?: IngestionOptions[K] | undefined };

export function clientFor(
  emu: Emulator,
  options: TestOptions = {},
  clock?: Clock,
): { client: IngestionClient; failures: DeliveryFailure[]; warnings: string[] } {
  const failures: DeliveryFailure[] = [];
  const warnings: string[] = [];
  const merged: Record<string, unknown> = {
    url: emu.streamUrl(),
    token: emu.token(),
    onError: (f: DeliveryFailure) => failures.push(f),
    warn: (line: string) => warnings.push(line),
    ...options,
  };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  const client = clock
    ? createClientWithClock(merged as IngestionOptions, {}, clock)
    : new IngestionClient(merged as IngestionOptions, {});
  return { client, failures, warnings };
}

/** A log record of the default stream's shape. */
export function record(i: number, message = `message ${i}`): Record<string, unknown> {
  return {
    TimeGenerated: new Date().toISOString(),
    Level: 'info',
    SeverityNumber: 9,
    Message: message,
    Host: 'test-host',
    Properties: { i },
  };
}

interface ManualTimer extends TimerHandle {
  readonly ms: number;
  fire(): void;
  cleared: boolean;
}

/**
 * A clock whose timers never fire by themselves: the test sees each delay asked for and fires
 * timers explicitly. `now` is fixed unless moved.
 */
export class ManualClock implements Clock {
  nowMs = Date.parse('2026-01-01T00:00:00Z');
  readonly timers: ManualTimer[] = [];
  randomValue = 0.5;

  now = (): number => this.nowMs;
  random = (): number => this.randomValue;

  setTimeout = (fn: () => void, ms: number): TimerHandle => {
    const timer: ManualTimer = {
      ms,
      cleared: false,
      fire: () => {
        if (!timer.cleared) fn();
      },
      ref: () => timer,
      unref: () => timer,
      refresh: () => {
        timer.cleared = false;
        if (!this.timers.includes(timer)) this.timers.push(timer);
        return timer;
      },
    };
    this.timers.push(timer);
    return timer;
  };

  clearTimeout = (handle: TimerHandle): void => {
    (handle as ManualTimer).cleared = true;
  };

  /** Pending (not cleared) timers with the given delay. */
  pending(ms?: number): ManualTimer[] {
    return this.timers.filter((t) => !t.cleared && (ms === undefined || t.ms === ms));
  }

  /** Fires and forgets the pending timers with this delay. */
  fire(ms: number): number {
    const due = this.pending(ms);
    for (const t of due) {
      this.timers.splice(this.timers.indexOf(t), 1);
      t.fire();
    }
    return due.length;
  }
}

/** Polls `predicate` on each macrotask until true, failing after `timeoutMs` (a bound, not a sleep). */
export async function until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // A bound on a condition, not a timing assertion: polls every few ms rather than every turn
  // of the loop, so that waiting does not take CPU from the emulator and the code under test
  // on a loaded 2-core machine.
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

interface VirtualTimer extends TimerHandle {
  due: number;
  readonly ms: number;
  readonly fn: () => void;
  cleared: boolean;
}

/**
 * Time that moves only when the test says so, with timers that fire when their due time is
 * reached (a scaled clock for outages of many seconds). Network I/O still happens in real time:
 * before each step `advance` waits (really) until `settled()` says nothing is in flight, so
 * that virtual time never runs ahead of a request a loaded machine is slow to finish.
 */
export class VirtualClock implements Clock {
  nowMs = Date.parse('2026-01-01T00:00:00Z');
  readonly #timers = new Set<VirtualTimer>();
  /** Nothing in flight (set it once the client exists, e.g. `() => client.stats().inFlight === 0`). */
  settled: () => boolean = () => true;

  now = (): number => this.nowMs;
  random = (): number => 0.5;

  setTimeout = (fn: () => void, ms: number): TimerHandle => {
    const timer: VirtualTimer = {
      due: this.nowMs + ms,
      ms,
      fn,
      cleared: false,
      ref: () => timer,
      unref: () => timer,
      refresh: () => {
        timer.cleared = false;
        timer.due = this.nowMs + ms;
        this.#timers.add(timer);
        return timer;
      },
    };
    this.#timers.add(timer);
    return timer;
  };

  clearTimeout = (handle: TimerHandle): void => {
    const t = handle as VirtualTimer;
    t.cleared = true;
    this.#timers.delete(t);
  };

  /** Moves time by `ms` in steps of `stepMs`, firing due timers in order, I/O in between. */
  async advance(ms: number, stepMs = 50): Promise<void> {
    const end = this.nowMs + ms;
    while (this.nowMs < end) {
      this.nowMs = Math.min(end, this.nowMs + stepMs);
      for (;;) {
        const due = [...this.#timers]
          .filter((t) => t.due <= this.nowMs)
          .sort((a, b) => a.due - b.due)[0];
        if (!due) break;
        this.#timers.delete(due);
        due.fn();
      }
      await new Promise((r) => setTimeout(r, 1));
      const deadline = Date.now() + 10_000;
      while (!this.settled() && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1));
      }
    }
  }
}

/** The accounting identity every test ends with: nothing accepted is unaccounted for. */
export function expectAccounted(stats: IngestionStats): void {
  const { accepted, delivered, rejected, dropped } = stats;
  if (accepted !== delivered + rejected + dropped) {
    throw new Error(
      `accepted ${accepted} ≠ delivered ${delivered} + rejected ${rejected} + dropped ${dropped}`,
    );
  }
}
