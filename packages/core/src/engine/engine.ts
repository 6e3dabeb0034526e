/**
 * The delivery engine: records → segments (request bodies) → attempts → retries, under one
 * byte budget.
 *
 *   push() ──> SegmentQueue: open segment ──seal──> sealed segments (drop-oldest drops here only)
 *                 ^                                  │ take (≤ maxConcurrency batches active)
 *   flush timer ──┘ (one, unref'd, re-armed)         v
 *                                        attempt: token → gzip → POST (undici Pool)
 *                                          ├─ 2xx: delivered, settled
 *                                          ├─ transient (network, timeout, 408, 429, 5xx,
 *                                          │   credential): parked in the OutageGate, which
 *                                          │   probes one request at a time until an answer,
 *                                          │   then everything parked goes, oldest first;
 *                                          │   given up after maxRetryTimeMs failing
 *                                          ├─ 413: split in halves → ready list
 *                                          ├─ 400: split in halves (siblings) → ready list;
 *                                          │   a half's 400 waits for its sibling: both 400
 *                                          │   → both rejected at once, else it splits again
 *                                          └─ permanent / exhausted: onError, settled
 *
 * With a spool (`spoolDir`, see spool/spool.ts) every sealed segment is also written to disk
 * and deleted once settled; when the budget is full, segments on disk leave memory, and they
 * (and a restart's files) are taken before the queue when older. Without one, nothing changes.
 * A throttle (429, or 503 with Retry-After) also slows the client down (engine/rate-control.ts:
 * a longer flush interval, AIMD) and, until it is back to normal, a request about to start
 * takes in what else waits, up to a full-size request (engine/merge.ts).
 *
 * `bufferedBytes` counts queued and active (in flight or retrying) records until they settle.
 * flush() waits until every record accepted before it has settled: records carry a monotonic
 * `seq`, and the lowest unsettled seq is the minimum over the queue head and active batches.
 */

import { attemptBatch, type DeliveryDeps, type Outcome } from '../delivery/attempt.js';
import { backoffMs, type RetryPolicy } from '../delivery/retry-policy.js';
import type { ShardSet } from '../delivery/shard-set.js';
import { decide, type Verdict, verdictFor } from '../delivery/verdict.js';
import { type ErrorCode, ErrorCodes, IngestionError } from '../errors.js';
import { DeferredReports } from '../report/deferred-reports.js';
import { type FailureSink, outcomeError, reportFailure } from '../report/failures.js';
import { type SpillPart, type Spool, WAIT } from '../spool/spool.js';
import type { ResolvedConfig } from '../types.js';
import { Admission, REFUSED } from './admission.js';
import { type Batch, batchSize, batchTexts, bySeq, firstSeq, newBatch } from './batch.js';
import type { Clock, TimerHandle } from './clock.js';
import { FlushWaiters } from './flush-waiters.js';
import { MergeRoom, mergeable, mergeBatches } from './merge.js';
import { OutageGate, type OutageInfo } from './outage-gate.js';
import { RateControl } from './rate-control.js';
import { SegmentQueue, splitRange } from './segment-queue.js';

export interface EngineDeps extends DeliveryDeps, FailureSink {
  readonly config: ResolvedConfig;
  readonly clock: Clock;
  /** The rules requests go to (one unless sharding), each with its HTTP leg. */
  readonly shards: ShardSet;
  /** An outage began (warned once) or ended. */
  readonly onOutage?: (event: OutageEvent) => void;
  /** The durable spool (option `spoolDir`), see spool/spool.ts. */
  readonly spool?: Spool | undefined;
}

/** For the warnings: an outage began (with its first failure) or ended. */
export type OutageEvent =
  | { readonly kind: 'start'; readonly outcome: Outcome; readonly waiting: number }
  | { readonly kind: 'end'; readonly info: OutageInfo; readonly now: number };

/** Codes of a batch given up while the service is still failing (not an answer). */
const STILL_FAILING: ReadonlySet<ErrorCode> = new Set([
  ErrorCodes.RETRIES_EXHAUSTED,
  ErrorCodes.CREDENTIAL,
]);

export class Engine {
  readonly #deps: EngineDeps;
  readonly #config: ResolvedConfig;
  readonly #policy: RetryPolicy;
  readonly #queue: SegmentQueue;
  readonly #active = new Set<Batch>();
  readonly #admission: Admission;
  #ready: Batch[] = [];
  readonly #waiters = new FlushWaiters((hold) => this.#setHold(hold));
  readonly #gate: OutageGate;
  readonly #spool: Spool | undefined;
  readonly #rate: RateControl;
  #inFlight = 0;
  /** Suspects waiting on their own backoff timer (see #takeNew). */
  #suspectsWaiting = 0;
  #seq = 0;
  #sendUpTo = 0;
  #timer: TimerHandle | undefined;
  /** The delay the flush timer was created with (`refresh()` keeps it). */
  #timerMs = 0;
  #armed = false;
  #pumpScheduled = false;
  #closed = false;
  #draining = false;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
    const config = deps.config;
    this.#config = config;
    const { maxRetries, maxRetryTimeMs, retryBaseMs, retryMaxMs } = config;
    this.#policy = {
      maxRetries: maxRetries ?? Number.POSITIVE_INFINITY,
      maxRetryTimeMs,
      retryBaseMs,
      retryMaxMs,
      random: deps.clock.random,
    };
    this.#gate = new OutageGate({
      clock: deps.clock,
      policy: this.#policy,
      wake: () => this.#pump(),
    });
    this.#rate = new RateControl(config.flushIntervalMs, deps.clock.random);
    const spool = deps.spool;
    this.#spool = spool;
    this.#queue = new SegmentQueue(
      config.maxBatchBytes,
      config.maxBatchRecords,
      (delta) => {
        deps.stats.bufferedBytes += delta;
      },
      spool && ((segment) => spool.sealed(segment)),
    );
    const reports = new DeferredReports(deps, config.maxBatchBytes, () => this.#checkWaiters());
    this.#admission = new Admission(config, deps.stats, this.#queue, reports, spool);
    spool?.attach({
      queue: this.#queue,
      reserve: (count) => {
        const first = this.#seq + 1;
        this.#seq += count;
        return first;
      },
      wake: () => this.#pump(),
      settled: () => this.#checkWaiters(),
    });
  }

  /**
   * Takes one serialized record (hot path: no I/O, no throw). `known` is its UTF-8 size when
   * already measured, else -1. False when refused or dropped.
   */
  accept(text: string, known = -1): boolean {
    if (this.#closed)
      return this.refuse(ErrorCodes.CLOSED, text, text.length, 'pushed after close()');
    const bytes = this.#admission.check(text, known);
    if (bytes === REFUSED) return false;
    // Not `bufferedBytes += append(…)`: append may report a resize of earlier records to the
    // same counter, and a compound assignment would overwrite it with the value read before.
    const added = this.#queue.append(text, bytes, ++this.#seq);
    this.#deps.stats.bufferedBytes += added;
    if (!this.#armed) this.#arm();
    if (!this.#pumpScheduled && this.#queue.hasFull()) this.#schedulePump();
    return true;
  }

  /** Reports a record refused inside push() (deferred, aggregated). Returns false. */
  refuse(code: ErrorCode, text: string, bytes: number, reason: string, hint?: string): false {
    return this.#admission.refuse(code, text, bytes, reason, hint);
  }

  /** Resolves when every record accepted so far has been delivered or finally failed. */
  flush(): Promise<void> {
    const target = this.#seq;
    if (this.#lowestUnsettled() > target) return Promise.resolve();
    this.#sendUpTo = Math.max(this.#sendUpTo, target);
    const done = this.#waiters.wait(target);
    this.#pump();
    return done;
  }

  /** Flushes everything, bounded by closeTimeoutMs (a ref'd timer: close() is awaited). */
  async close(): Promise<{ abandoned: boolean }> {
    this.stop();
    let abandoned = false;
    const deadline = this.#deps.clock.setTimeout(() => {
      abandoned = true;
      this.abandon('close() timed out');
    }, this.#config.closeTimeoutMs);
    await this.flush();
    this.#deps.clock.clearTimeout(deadline);
    await this.#spool?.close();
    return { abandoned };
  }

  /** Fails everything queued or active with CLOSED (counted dropped); with a spool, keeps it there. */
  abandon(reason: string): void {
    if (this.#spool) {
      const { count, texts } = this.#spill(true);
      if (count === 0) return;
      const message = `${count} records not delivered: ${reason}, and the spool could not keep them`;
      const error = new IngestionError(ErrorCodes.CLOSED, message, { recordCount: count });
      reportFailure(this.#deps, error, texts, reason);
      return;
    }
    for (let s = this.#queue.take(); s; s = this.#queue.take()) {
      for (let i = s.head; i < s.ends.length; i++) {
        this.refuse(ErrorCodes.CLOSED, s.text(i), s.recordBytes(i), reason);
      }
      this.#deps.stats.bufferedBytes -= s.bytes;
    }
    for (const batch of this.#active) this.#giveUp(batch, reason);
    this.#active.clear();
    this.#ready = [];
    this.#gate.reset();
    this.#checkWaiters();
  }

  /**
   * The process is ending (see lifecycle/exit-hook.ts): stops everything and hands over every
   * undelivered record at once, synchronously, counted as dropped. Texts only when `withTexts`
   * (decoding them costs time the exit may not have).
   */
  takeUndelivered(withTexts: boolean): { count: number; texts: string[] } {
    this.stop();
    if (this.#spool) {
      const lost = this.#spill(withTexts);
      this.#deps.stats.dropped += lost.count;
      return lost;
    }
    const texts: string[] = [];
    let count = 0;
    for (let s = this.#queue.take(); s; s = this.#queue.take()) {
      for (let i = s.head; i < s.ends.length; i++) if (withTexts) texts.push(s.text(i));
      count += s.count;
      this.#deps.stats.bufferedBytes -= s.bytes;
    }
    for (const batch of this.#active) {
      batch.abandoned = true;
      batch.abort?.abort();
      this.#clearTimer(batch);
      if (withTexts) texts.push(...batchTexts(batch));
      count += batchSize(batch);
      this.#deps.stats.bufferedBytes -= batch.bytes;
    }
    this.#active.clear();
    this.#ready = [];
    this.#gate.reset();
    this.#deps.stats.dropped += count;
    return { count, texts };
  }

  /** Records accepted and not yet delivered or finally failed (queued, in flight, retrying). */
  pending(): number {
    let n = this.#queue.records + (this.#spool?.records ?? 0);
    for (const batch of this.#active) n += batchSize(batch);
    return n;
  }

  /** No more records; the flush timer stops (close, destroy). */
  stop(): void {
    this.#closed = true;
    if (this.#timer) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armed = false;
  }

  /** `beforeExit`: the loop is empty; send what is pending, bounded by closeTimeoutMs. */
  onBeforeExit(): void {
    if (this.#closed || this.#draining || this.#lowestUnsettled() > this.#seq) return;
    this.#draining = true;
    // Ref'd on purpose: it bounds the drain and keeps the process alive until then.
    const deadline = this.#deps.clock.setTimeout(
      () => this.abandon('undelivered at process exit'),
      this.#config.closeTimeoutMs,
    );
    void this.flush().then(() => {
      this.#deps.clock.clearTimeout(deadline);
      this.#draining = false;
    });
  }

  /** The flush timer, at the effective interval (the configured one unless throttled lately). */
  #arm(): void {
    this.#armed = true;
    const ms = this.#rate.nextDelayMs();
    if (this.#timer && this.#timerMs === ms) {
      this.#timer.refresh();
      return;
    }
    if (this.#timer) this.#deps.clock.clearTimeout(this.#timer);
    this.#timerMs = ms;
    this.#timer = this.#deps.clock.setTimeout(() => {
      this.#armed = false;
      this.#sendUpTo = Math.max(this.#sendUpTo, this.#seq);
      this.#pump();
      this.#spool?.tick(); // what was not taken is sealed, hence written: on disk within one interval
    }, ms);
    this.#timer.unref();
  }

  /** Sends from a later macrotask: a burst of push() calls completes first. */
  #schedulePump(): void {
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  /**
   * Starts attempts while slots are free (the gate limits them during an outage or a pause):
   * ready batches first, oldest first, then new ones from the queue.
   */
  #pump(): void {
    const { maxConcurrency } = this.#config;
    const gate = this.#gate;
    while (this.#inFlight < gate.limit(maxConcurrency)) {
      let batch = this.#ready.shift();
      if (!batch && gate.inOutage) {
        // A probe: the oldest parked batch, or a new one when the gate prefers it.
        batch = gate.prefersFresh ? this.#takeNew(true) : undefined;
        batch ??= gate.takeProbe() ?? this.#takeNew(true);
      }
      batch ??= this.#takeNew(false);
      if (!batch) break;
      // With a spool each segment is one file, deleted when its batch settles: merging would
      // break that (a merged body's records would also stay in their files, and be sent again
      // after a restart), so a spooled client only lengthens its interval when throttled.
      if (this.#rate.engaged && !this.#spool) batch = this.#fill(batch);
      gate.started();
      this.#start(batch);
    }
    const head = this.#queue.headSeq();
    if (
      head !== Number.POSITIVE_INFINITY &&
      head > this.#sendUpTo &&
      !this.#armed &&
      !this.#closed
    ) {
      this.#arm();
    }
  }

  /**
   * A new batch from the queue, when one is due. `probe`: an outage's probe takes what is
   * queued, due or not, even when the parked batches fill the active slots (at most one more).
   */
  #takeNew(probe: boolean): Batch | undefined {
    const due = probe || this.#queue.headSeq() <= this.#sendUpTo || this.#queue.hasFull();
    // A suspect waiting on its own backoff holds no slot: it must not hold the others back.
    const busy = this.#active.size - this.#suspectsWaiting;
    const room = busy < this.#config.maxConcurrency + (probe ? 1 : 0);
    if (!room) return undefined;
    // Spooled records older than the memory queue go first (a restart's, or evicted ones).
    const spooled = this.#spool?.take(this.#queue.headSeq());
    if (spooled === WAIT) return undefined;
    const segment = spooled ?? (due ? this.#queue.take() : undefined);
    if (!segment) return undefined;
    const batch = newBatch(segment);
    this.#active.add(batch);
    return batch;
  }

  /**
   * Throttled lately: the batch about to start takes in what else waits (ready batches, parked
   * ones, queued records), oldest first, up to a full-size request. Returns the merged batch.
   */
  #fill(first: Batch): Batch {
    if (!mergeable(first)) return first;
    const { maxBatchBytes, maxBatchRecords } = this.#config;
    const room = new MergeRoom(first, maxBatchBytes, maxBatchRecords);
    const take = (b: Batch): boolean => mergeable(b) && room.add(b);
    const parts = [first];
    const left: Batch[] = [];
    for (const b of this.#ready) (take(b) ? parts : left).push(b);
    this.#ready = left;
    parts.push(...this.#gate.takeParked(take));
    for (let head = this.#queue.headSize(); head; head = this.#queue.headSize()) {
      const segment = room.fits(head.records, head.bytes) ? this.#queue.take() : undefined;
      if (!segment) break;
      const queued = newBatch(segment);
      this.#active.add(queued);
      // Non-ASCII text staged in the open segment may turn out larger than estimated.
      if (room.add(queued)) parts.push(queued);
      else this.#insertReady(queued);
    }
    // Everything queued goes now: the next records wait a whole interval from their arrival.
    if (!this.#queue.headSize() && this.#timer) {
      this.#deps.clock.clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#armed = false;
    }
    if (parts.length === 1) return first;
    const merged = mergeBatches(parts, maxBatchBytes);
    for (const p of parts) {
      p.ended = 'settled';
      this.#active.delete(p);
      if (--p.segment.refs === 0) this.#queue.recycle(p.segment);
    }
    this.#active.add(merged);
    return merged;
  }

  #start(batch: Batch): void {
    const now = this.#deps.clock.now();
    batch.startedAt = now;
    const shard = this.#deps.shards.pick(now);
    batch.shard = shard;
    this.#inFlight++;
    this.#deps.stats.inFlight = this.#inFlight;
    const abort = new AbortController();
    batch.abort = abort;
    void attemptBatch(batch, this.#deps, shard.http, abort.signal).then((outcome) => {
      batch.abort = undefined;
      this.#inFlight--;
      this.#deps.stats.inFlight = this.#inFlight;
      if (!batch.abandoned) {
        this.#apply(
          batch,
          verdictFor(batch, outcome, this.#deps.clock.now(), this.#policy),
          outcome,
        );
      }
      this.#pump();
    });
  }

  #apply(batch: Batch, verdict: Verdict, outcome: Outcome): void {
    if (verdict.action === 'retry' && !verdict.refreshToken) {
      this.#transient(batch, verdict.delayMs, verdict.throttled === true, outcome);
      return;
    }
    if (verdict.action === 'fail' && STILL_FAILING.has(verdict.code)) {
      // Given up after failing for maxRetryTimeMs: the outage (if any) goes on.
      this.#gate.forget(batch);
      this.#fail(batch, verdict.code, outcome);
      this.#wakeSibling(batch);
      return;
    }
    // The service answered: whatever was parked in an outage goes now.
    if (batch.shard) this.#deps.shards.answered(batch.shard);
    this.#recovered();
    if (verdict.action === 'retry') {
      this.#deps.stats.retried++;
      batch.attempt++;
      batch.forceRefresh = batch.tokenRefreshed = true;
      this.#insertReady(batch);
      return;
    }
    if (verdict.action === 'hold') {
      batch.held = outcome; // stays active, in the budget and in flush(), until its sibling ends
      return;
    }
    if (verdict.action === 'delivered') {
      this.#rate.succeeded(this.#deps.clock.now());
      this.#deps.stats.delivered += batchSize(batch);
      this.#settle(batch);
    } else if (verdict.action === 'split') {
      this.#split(batch, outcome.status === 400);
    } else {
      this.#fail(batch, verdict.code, outcome);
    }
    this.#wakeSibling(batch);
  }

  /** Replaces a batch by its two halves, sent next; after a 400 they are siblings. */
  #split(batch: Batch, badRequest: boolean): void {
    const [a, b] = splitRange(batch.from, batch.to);
    const first = newBatch(batch.segment, a[0], a[1]);
    const second = newBatch(batch.segment, b[0], b[1]);
    if (badRequest) {
      first.sibling = second;
      second.sibling = first;
    }
    batch.ended = 'settled';
    this.#active.delete(batch);
    batch.segment.refs--; // the halves hold their own references
    this.#active.add(first).add(second);
    this.#insertReady(first);
    this.#insertReady(second);
  }

  /** Ready batches stay ordered oldest first (a split's halves, an outage's backlog). */
  #insertReady(batch: Batch): void {
    const ready = this.#ready;
    let i = ready.length;
    while (i > 0 && bySeq(ready[i - 1] as Batch, batch) > 0) i--;
    ready.splice(i, 0, batch);
  }

  /**
   * A transient failure: the batch waits, parked in the gate (which probes one request at a
   * time), or on its own backoff when it is a suspect. A `Retry-After` pauses every request.
   */
  #transient(batch: Batch, askedMs: number, throttled: boolean, outcome: Outcome): void {
    const now = this.#deps.clock.now();
    this.#deps.stats.retried++;
    batch.attempt++;
    batch.failingSince ??= now;
    if (throttled || outcome.status === 429) this.#rate.throttled(batch.startedAt, now);
    if (this.#elsewhere(batch, askedMs, throttled, now)) return;
    // Several rules, none available: wait for the first to be (one rule: its own delay).
    const multi = this.#deps.shards.size > 1;
    const delayMs = multi ? this.#deps.shards.waitMs(now) : askedMs;
    // Sent at once when the last outage ended and failing again while others got through.
    if (batch.resetAtRecovery) batch.suspect = true;
    batch.resetAtRecovery = false;
    if (batch.suspect) {
      if (throttled) this.#gate.pause(now + delayMs);
      this.#retryLater(batch, delayMs);
      return;
    }
    const started = this.#gate.failed(batch, throttled || multi ? delayMs : undefined);
    if (throttled) this.#gate.pause(now + delayMs);
    if (started) this.#deps.onOutage?.({ kind: 'start', outcome, waiting: this.pending() });
  }

  /**
   * Several rules: the one that failed is avoided for a while (its Retry-After, else a backoff
   * growing with its failures in a row), and the batch goes at once to another rule if one is
   * available. False when there is one rule or none is available (the outage gate decides).
   */
  #elsewhere(batch: Batch, delayMs: number, throttled: boolean, now: number): boolean {
    const shards = this.#deps.shards;
    const shard = batch.shard;
    if (shards.size === 1 || !shard) return false;
    const wait = throttled ? delayMs : backoffMs(shard.failures + 1, this.#policy);
    shards.avoid(shard, now + wait);
    // Another rule: the one that failed does not count even if its backoff drew 0 ms.
    if (!shards.anyAvailable(now, shard)) return false;
    this.#insertReady(batch);
    return true;
  }

  /** An answer came: parked batches are sent now, oldest first, and marked as such. */
  #recovered(): void {
    const info = this.#gate.info();
    if (!info) return;
    for (const b of this.#gate.answered()) {
      b.resetAtRecovery = true;
      this.#insertReady(b);
    }
    this.#deps.onOutage?.({ kind: 'end', info, now: this.#deps.clock.now() });
  }

  /**
   * Rejects a batch. A sibling holding a 400 that now fails the same way (both halves of a 400
   * split got a 400: systematic) is rejected with it, in one report.
   */
  #fail(batch: Batch, code: ErrorCode, outcome: Outcome): void {
    batch.ended = code === ErrorCodes.BAD_REQUEST ? 'rejected' : 'settled';
    const group = [batch];
    const other = batch.sibling;
    if (other?.held && !other.abandoned) {
      const again = decide(other, other.held, this.#deps.clock.now(), this.#policy);
      if (again.action === 'fail' && again.code === code) {
        other.held = undefined;
        other.ended = batch.ended;
        group.push(other);
        group.sort((x, y) => x.from - y.from);
      }
    }
    let count = 0;
    for (const b of group) count += batchSize(b);
    const since = batch.failingSince;
    const retriedFor =
      STILL_FAILING.has(code) && since !== undefined ? this.#deps.clock.now() - since : undefined;
    const error = outcomeError(code, outcome, count, retriedFor);
    const texts = group.flatMap(batchTexts); // before settle: the Buffer may be reused after it
    for (const b of group) this.#settle(b);
    reportFailure(this.#deps, error, texts);
  }

  /** A batch ended: a sibling holding a 400 until then is decided now (split or rejected). */
  #wakeSibling(batch: Batch): void {
    const other = batch.sibling;
    const held = other?.held;
    if (!other || !held || other.abandoned) return;
    other.held = undefined;
    this.#apply(other, decide(other, held, this.#deps.clock.now(), this.#policy), held);
  }

  /** A suspect's own backoff timer. */
  #retryLater(batch: Batch, delayMs: number): void {
    this.#suspectsWaiting++;
    batch.timer = this.#deps.clock.setTimeout(() => {
      batch.timer = undefined;
      this.#suspectsWaiting--;
      this.#insertReady(batch);
      this.#pump();
    }, delayMs);
    // Unref'd unless someone awaits flush()/close(): an idle process may exit during a backoff.
    if (!this.#waiters.holding) batch.timer.unref();
  }

  /** Done with a batch after a completed attempt: its Buffer may be reused. */
  #settle(batch: Batch): void {
    if (!this.#active.delete(batch)) return;
    batch.ended ??= 'settled';
    this.#deps.stats.bufferedBytes -= batch.bytes;
    if (--batch.segment.refs === 0) {
      this.#spool?.release(batch.segment);
      this.#queue.recycle(batch.segment);
    }
    this.#checkWaiters();
  }

  #giveUp(batch: Batch, reason: string): void {
    batch.abandoned = true;
    batch.abort?.abort();
    this.#clearTimer(batch);
    this.#deps.stats.bufferedBytes -= batch.bytes;
    const count = batchSize(batch);
    const error = new IngestionError(
      ErrorCodes.CLOSED,
      `${count} records not delivered: ${reason}`,
      {
        recordCount: count,
      },
    );
    reportFailure(this.#deps, error, batchTexts(batch), reason);
  }

  #clearTimer(batch: Batch): void {
    if (!batch.timer) return;
    this.#deps.clock.clearTimeout(batch.timer);
    batch.timer = undefined;
    this.#suspectsWaiting--;
  }

  /**
   * With a spool, the end (exit, close timeout, destroy) keeps what was accepted: everything
   * queued or active is written to disk now, synchronously (unless it is there already), and
   * left for the next client. Returns the records the spool could not keep.
   */
  #spill(withTexts: boolean): { count: number; texts: string[] } {
    const parts: SpillPart[] = [];
    const stats = this.#deps.stats;
    for (let s = this.#queue.take(); s; s = this.#queue.take()) {
      parts.push({ segment: s, from: s.head, to: s.ends.length });
      stats.bufferedBytes -= s.bytes;
    }
    for (const batch of this.#active) {
      batch.abandoned = true;
      batch.abort?.abort();
      this.#clearTimer(batch);
      parts.push({ segment: batch.segment, from: batch.from, to: batch.to });
      stats.bufferedBytes -= batch.bytes;
    }
    this.#active.clear();
    this.#ready = [];
    this.#gate.reset();
    const texts: string[] = [];
    let count = 0;
    for (const { segment, from, to } of (this.#spool as Spool).spill(parts)) {
      count += to - from;
      for (let i = from; i < to && withTexts; i++) texts.push(segment.text(i));
    }
    this.#checkWaiters();
    return { count, texts };
  }

  #lowestUnsettled(): number {
    let low = Math.min(this.#queue.headSeq(), this.#spool?.headSeq() ?? Number.POSITIVE_INFINITY);
    for (const batch of this.#active) low = Math.min(low, firstSeq(batch));
    return low;
  }

  #checkWaiters(): void {
    if (this.#waiters.holding) this.#waiters.settledBelow(this.#lowestUnsettled());
  }

  /** While flush()/close() is awaited, retry timers keep the process alive. */
  #setHold(hold: boolean): void {
    for (const batch of this.#active) {
      if (batch.timer) hold ? batch.timer.ref() : batch.timer.unref();
    }
    this.#gate.setHold(hold);
  }
}
