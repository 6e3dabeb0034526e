/**
 * The fleet simulation of bench/fleet.mjs at CI size, on virtual time: 8 clients share one rule
 * limited to 20 requests per 10 s, each logging steadily for 4 virtual minutes. The emulator's
 * rate-limit windows, Retry-After and every client timer run on one VirtualClock, so the run
 * takes seconds and its figures do not depend on the machine's load. The goals of issue 13: no
 * loss, 429s at most a tenth of requests after the first throttle, and once settled the
 * accepted requests within 10% below the limit.
 */
import { type Emulator, startEmulator } from 'azure-ingestion-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetFigures, formatFigures } from '../../../bench/lib/fleet-report.mjs';
import type { IngestionClient } from '../src/client.js';
import type { Clock } from '../src/engine/clock.js';
import { clientFor, expectAccounted, TABLE, VirtualClock } from './helpers.js';

const CLIENTS = 8;
const RATE = 60; // records per second per client: 3 per step
const SECONDS = 240;
const LIMIT = 20;
const WINDOW_MS = 10_000;
const STEP_MS = 50;

/** Each client its own reproducible jitter source (a linear congruential generator). */
function lcg(seed: number): () => number {
  // Spread small seeds over the whole range: consecutive ones would start almost in step.
  let x = (seed * 2_654_435_761) % 4_294_967_296;
  return () => {
    x = (x * 1_664_525 + 1_013_904_223) % 4_294_967_296;
    return x / 4_294_967_296;
  };
}

describe('a fleet sharing one throttled rule (virtual time)', () => {
  const clock = new VirtualClock();
  let emu: Emulator;
  const clients: IngestionClient[] = [];
  const limitPerMin = (LIMIT * 60_000) / WINDOW_MS;

  beforeAll(async () => {
    emu = await startEmulator({
      port: 0,
      now: clock.now,
      rateLimits: { requestsPerMinute: limitPerMin, windowMs: WINDOW_MS },
      maxRowsPerTable: CLIENTS * RATE * SECONDS + 1000,
    });
    for (let k = 0; k < CLIENTS; k++) {
      const own: Clock = {
        now: clock.now,
        setTimeout: clock.setTimeout,
        clearTimeout: clock.clearTimeout,
        random: lcg(k + 1),
      };
      const options = { warnings: false, closeTimeoutMs: 60_000, userAgent: `fleet-${k}/1` };
      clients.push(clientFor(emu, options, own).client);
    }
    clock.settled = () => clients.every((c) => c.stats().inFlight === 0);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await emu.stop();
  });

  it('loses nothing, keeps 429s under a tenth and settles near the limit', async () => {
    const loadFrom = clock.now();
    const perStep = (RATE * STEP_MS) / 1000;
    const pushed = new Array<number>(CLIENTS).fill(0);
    for (let t = 0; t < SECONDS * 1000; t += STEP_MS) {
      for (let k = 0; k < CLIENTS; k++) {
        for (let j = 0; j < perStep; j++) {
          const i = pushed[k] ?? 0;
          pushed[k] = i + 1;
          clients[k]?.push({
            TimeGenerated: new Date(clock.now()).toISOString(),
            Level: 'info',
            SeverityNumber: 9,
            Message: `request ${i} of instance ${k}`,
            Properties: { p: k, i },
          });
        }
      }
      await clock.advance(STEP_MS, STEP_MS);
    }
    const loadTo = clock.now();
    let closed = false;
    const closing = Promise.all(clients.map((c) => c.close())).then((all) => {
      closed = true;
      return all;
    });
    while (!closed) await clock.advance(500, STEP_MS);
    const stats = await closing;

    const seen = new Set<string>();
    let duplicates = 0;
    for (const row of emu.rows(TABLE)) {
      const { p, i } = row.Properties as { p: number; i: number };
      if (seen.has(`${p}:${i}`)) duplicates++;
      seen.add(`${p}:${i}`);
    }
    let lost = 0;
    for (let k = 0; k < CLIENTS; k++) {
      for (let i = 0; i < (pushed[k] ?? 0); i++) if (!seen.has(`${k}:${i}`)) lost++;
    }
    const requests = emu.requests().map((r) => ({
      at: Date.parse(r.receivedAt),
      status: r.status,
      records: r.records,
    }));
    const f = fleetFigures({ requests, limitPerMin, loadFrom, loadTo });
    // The figures, for whoever reads the test log (they are also the bench's).
    console.log(formatFigures(f, lost, duplicates));

    for (const s of stats) {
      expectAccounted(s);
      expect(s.dropped + s.rejected).toBe(0);
    }
    expect(lost).toBe(0);
    expect(duplicates).toBe(0);
    expect(f.answered429).toBeGreaterThan(0); // the fleet was throttled indeed
    expect(f.share429AfterFirstThrottle).toBeLessThanOrEqual(0.1);
    // Settled within the run: its second half accepts 90% of the limit or more on average.
    expect(f.secondHalf.acceptedPerMin).toBeGreaterThanOrEqual(0.9 * limitPerMin);
  });
});
