/**
 * The rules a client sends to (one, unless several were listed: sharding) and, for each, its own
 * HTTP leg (an undici Pool per stream URL) and its own state: the time until which it is avoided
 * after a throttle (its `Retry-After`) or a transient failure (a backoff growing with its
 * failures in a row). Requests go round robin over the rules available now:
 *
 *   batch ──pick──> rule A (available) ──POST──> 204: A stays in the rotation
 *                   rule B (throttled until t) is skipped until t
 *                   none available: the one available soonest (the engine's outage gate then
 *                   holds the client back, as with one rule)
 *
 * With one rule, `pick` always returns it and nothing is ever avoided: the engine's outage gate
 * alone decides, as before sharding.
 */
import type { ResolvedConfig } from '../types.js';
import { HttpSender } from './http-sender.js';

export interface Shard {
  /** Position in `config.shards`. */
  readonly index: number;
  readonly http: HttpSender;
  /** Avoided until this epoch ms. */
  availableAt: number;
  /** Transient failures in a row (its avoidance backs off with them). */
  failures: number;
}

export class ShardSet {
  readonly shards: readonly Shard[];
  /** Round-robin position. */
  #next = 0;

  constructor(config: ResolvedConfig) {
    this.shards = config.shards.map((s, index) => ({
      index,
      http: new HttpSender(config, s.url),
      availableAt: 0,
      failures: 0,
    }));
  }

  get size(): number {
    return this.shards.length;
  }

  /** The next rule to send to: round robin over those available, else the one available soonest. */
  pick(now: number): Shard {
    const n = this.shards.length;
    let soonest = this.shards[0] as Shard;
    for (let k = 0; k < n; k++) {
      const shard = this.shards[(this.#next + k) % n] as Shard;
      if (shard.availableAt <= now) {
        this.#next = (shard.index + 1) % n;
        return shard;
      }
      if (shard.availableAt < soonest.availableAt) soonest = shard;
    }
    return soonest;
  }

  /** Whether some rule other than `except` can be sent to now. */
  anyAvailable(now: number, except?: Shard): boolean {
    return this.shards.some((s) => s !== except && s.availableAt <= now);
  }

  /** Ms until the first rule is available again (0: one is now). */
  waitMs(now: number): number {
    let at = Number.POSITIVE_INFINITY;
    for (const s of this.shards) at = Math.min(at, s.availableAt);
    return Math.max(0, at - now);
  }

  /** A transient failure or a throttle of `shard`: avoided until `until` (epoch ms). */
  avoid(shard: Shard, until: number): void {
    shard.failures++;
    shard.availableAt = Math.max(shard.availableAt, until);
  }

  /**
   * The rule answered (anything but a transient failure): its failures in a row start again.
   * A throttle it is avoided for still holds (a request in flight may be answered after it).
   */
  answered(shard: Shard): void {
    shard.failures = 0;
  }

  /** Waits for requests in flight, then closes every rule's sockets. */
  async close(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.http.close()));
  }

  /** Aborts requests in flight and closes every rule's sockets at once. */
  async destroy(): Promise<void> {
    await Promise.all(this.shards.map((s) => s.http.destroy()));
  }
}
