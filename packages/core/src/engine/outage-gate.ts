/**
 * Sending while the service is unreachable or throttling: one request at a time instead of
 * every failed batch retrying on its own timer.
 *
 *   healthy ──transient failure──► outage: failed batches parked (no timers of their own)
 *      ▲                              │ probe timer (backoff per probe, or Retry-After)
 *      │                              ▼
 *      └──any answer that is not ◄── one probe in flight: the oldest parked batch (after two
 *         a transient failure          failed probes of a lone batch, once, a new batch instead,
 *         (2xx, 400, 401, 403, …):     so that one bad batch cannot hold the others)
 *         parked batches sent at once, oldest first, at full concurrency
 *
 * A `Retry-After` (429, 503) pauses every request until it has passed, probes included.
 * A batch that fails again right after an outage ended, while others got through, is a
 * "suspect": it retries on its own backoff and does not start an outage (see Engine).
 */
import type { RetryPolicy } from '../delivery/retry-policy.js';
import { backoffMs } from '../delivery/retry-policy.js';
import { type Batch, bySeq } from './batch.js';
import type { Clock, TimerHandle } from './clock.js';

/** What an outage looked like, for its warnings. */
export interface OutageInfo {
  /** Epoch ms of the first failure. */
  readonly since: number;
  /** Failed attempts during the outage. */
  readonly failures: number;
}

export interface GateDeps {
  readonly clock: Clock;
  readonly policy: RetryPolicy;
  /** Called when a probe may start or a pause ended: the engine starts what it can. */
  readonly wake: () => void;
}

interface Outage {
  readonly since: number;
  failures: number;
  /** Probes granted so far; the probe backoff grows with them. */
  probes: number;
  /** A probe with a new batch was already tried in this outage. */
  triedFresh: boolean;
}

export class OutageGate {
  readonly #deps: GateDeps;
  #outage: Outage | undefined;
  /** Batches that failed during the outage, waiting for their turn as a probe. */
  readonly #parked = new Set<Batch>();
  #probeTimer: TimerHandle | undefined;
  /** When the probe timer fires (epoch ms). */
  #probeAt = 0;
  /** A probe was granted and not yet started. */
  #probeSlot = false;
  /** The granted probe should be a new batch from the queue, if there is one. */
  #preferFresh = false;
  /** Paused by a `Retry-After` until the timer that covers it fires (the probe's or its own). */
  #paused = false;
  #pausedUntil = 0;
  #pauseTimer: TimerHandle | undefined;
  #hold = false;

  constructor(deps: GateDeps) {
    this.#deps = deps;
  }

  get inOutage(): boolean {
    return this.#outage !== undefined;
  }

  /**
   * How many requests may be in flight now: none while paused by a `Retry-After`, one during
   * an outage once a probe was granted, else `max`.
   */
  limit(max: number): number {
    if (this.#paused) return 0;
    if (!this.#outage) return max;
    return this.#probeSlot ? 1 : 0;
  }

  /** During an outage, whether the granted probe should be a new batch from the queue. */
  get prefersFresh(): boolean {
    return this.#outage !== undefined && this.#preferFresh;
  }

  /** A request started: during an outage it uses the granted probe. */
  started(): void {
    if (!this.#outage) return;
    this.#probeSlot = false;
    this.#preferFresh = false;
  }

  /**
   * The whole client waits until `until` (a `Retry-After`). During an outage the probe timer
   * (set to the same delay by `failed`) ends the wait; otherwise a timer of its own does.
   */
  pause(until: number): void {
    if (this.#paused && until <= this.#pausedUntil) return;
    this.#paused = true;
    this.#pausedUntil = until;
    if (this.#pauseTimer) this.#deps.clock.clearTimeout(this.#pauseTimer);
    this.#pauseTimer = undefined;
    if (this.#probeTimer) {
      // The next probe waits for the pause too.
      if (this.#probeAt < until) this.#scheduleProbe(until - this.#deps.clock.now());
      return;
    }
    this.#armPause();
  }

  #armPause(): void {
    this.#pauseTimer = this.#timer(() => {
      this.#pauseTimer = undefined;
      this.#paused = false;
      this.#deps.wake();
    }, this.#pausedUntil - this.#deps.clock.now());
  }

  /**
   * A transient failure of `batch` (not a suspect): it is parked until its turn as a probe.
   * Returns the outage's info when this failure started it (the engine warns then).
   */
  failed(batch: Batch, retryAfterMs: number | undefined): OutageInfo | undefined {
    const now = this.#deps.clock.now();
    const started = this.#outage === undefined;
    this.#outage ??= { since: now, failures: 0, probes: 0, triedFresh: false };
    const outage = this.#outage;
    outage.failures++;
    this.#parked.add(batch);
    if (!this.#probeTimer && !this.#probeSlot) {
      this.#scheduleProbe(retryAfterMs ?? backoffMs(outage.probes + 1, this.#deps.policy));
    }
    return started ? this.info() : undefined;
  }

  /**
   * The service answered (anything but a transient failure): the outage, if any, is over.
   * Returns the parked batches, oldest first, to send now.
   */
  answered(): Batch[] {
    if (!this.#outage) return [];
    this.#outage = undefined;
    this.#clearProbe();
    // A pause the probe timer was covering still holds until its Retry-After has passed.
    if (this.#paused && !this.#pauseTimer) this.#armPause();
    const back = [...this.#parked].sort(bySeq);
    this.#parked.clear();
    return back;
  }

  /** The current outage, if any. */
  info(): OutageInfo | undefined {
    const o = this.#outage;
    return o && { since: o.since, failures: o.failures };
  }

  /**
   * A batch given up while the service still fails (its time budget spent) leaves the gate;
   * the outage goes on, and the next probe will be the next parked batch or a new one.
   */
  forget(batch: Batch): void {
    this.#parked.delete(batch);
    const outage = this.#outage;
    if (outage && !this.#probeTimer && !this.#probeSlot) {
      this.#scheduleProbe(backoffMs(outage.probes + 1, this.#deps.policy));
    }
  }

  /** Drops everything (abandon): timers cleared, nothing parked, no outage. */
  reset(): void {
    this.#outage = undefined;
    this.#clearProbe();
    this.#parked.clear();
    if (this.#pauseTimer) this.#deps.clock.clearTimeout(this.#pauseTimer);
    this.#pauseTimer = undefined;
    this.#paused = false;
    this.#pausedUntil = 0;
  }

  /** While flush()/close() is awaited, the gate's timers keep the process alive. */
  setHold(hold: boolean): void {
    this.#hold = hold;
    for (const t of [this.#probeTimer, this.#pauseTimer]) {
      if (t) hold ? t.ref() : t.unref();
    }
  }

  /**
   * The probe timer fired: the oldest parked batch goes next (`takeProbe`), or, once per
   * outage, a new batch from the queue when a lone batch has failed two probes already (a batch
   * the service refuses for itself must not hold the others). With nothing parked, the next
   * new batch is the probe.
   */
  #grantProbe(): void {
    this.#probeTimer = undefined;
    // The probe's delay covered any pause (a Retry-After sets both).
    if (!this.#pauseTimer) this.#paused = false;
    const outage = this.#outage;
    if (!outage) return;
    outage.probes++;
    this.#probeSlot = true;
    if (this.#parked.size === 1 && outage.probes >= 3 && !outage.triedFresh) {
      outage.triedFresh = true;
      this.#preferFresh = true;
    }
    this.#deps.wake();
  }

  /**
   * The parked batch to probe with now, oldest first (the engine asks once a probe is granted,
   * after a new batch when `prefersFresh` and the queue has one).
   */
  takeProbe(): Batch | undefined {
    if (!this.#probeSlot || this.#parked.size === 0) return undefined;
    let oldest: Batch | undefined;
    for (const b of this.#parked) if (!oldest || bySeq(b, oldest) < 0) oldest = b;
    if (oldest) this.#parked.delete(oldest);
    return oldest;
  }

  /**
   * Parked batches `take` accepts, oldest first, taken out of the gate: what a probe carries
   * along when requests are merged (see merge.ts).
   */
  takeParked(take: (b: Batch) => boolean): Batch[] {
    const taken: Batch[] = [];
    for (const b of [...this.#parked].sort(bySeq)) {
      if (!take(b)) continue;
      this.#parked.delete(b);
      taken.push(b);
    }
    return taken;
  }

  #scheduleProbe(delayMs: number): void {
    if (this.#probeTimer) this.#deps.clock.clearTimeout(this.#probeTimer);
    this.#probeAt = this.#deps.clock.now() + delayMs;
    this.#probeTimer = this.#timer(() => this.#grantProbe(), delayMs);
  }

  #clearProbe(): void {
    if (this.#probeTimer) this.#deps.clock.clearTimeout(this.#probeTimer);
    this.#probeTimer = undefined;
    this.#probeSlot = false;
    this.#preferFresh = false;
  }

  /** Unref'd unless flush()/close() is awaited: an idle process may exit during an outage. */
  #timer(fn: () => void, ms: number): TimerHandle {
    const t = this.#deps.clock.setTimeout(fn, Math.max(0, ms));
    if (!this.#hold) t.unref();
    return t;
  }
}
