/**
 * The delivery engine: queue → batches → attempts → retries, under one byte budget.
 *
 *   push() ──> RecordQueue ──takeBatch──> active batches (≤ maxConcurrency taken at once)
 *                 │  (drop-oldest                │
 *                 │   drops here only)           ├─ attempt: token → gzip → POST (undici Pool)
 *                 │                              ├─ 2xx: delivered, settled
 *   flush timer ──┘ (unref'd, re-armed)          ├─ retry: unref'd timer → ready list → attempt
 *                                                ├─ 413: split in halves → ready list
 *                                                └─ permanent / exhausted: onError, settled
 *
 * `bufferedBytes` counts queued and active (in flight or retrying) records until they settle.
 * flush() waits until every record accepted before it has settled: records carry a monotonic
 * `seq`, and the lowest unsettled seq is the minimum over the queue head and active batches.
 */
import { type Batch, newBatch, recordTexts } from './batch.js';
import { fitsAlone, hasFullBatch, splitBatch, takeBatch } from './batcher.js';
import type { Clock, TimerHandle } from './clock.js';
import { DeferredReports } from './deferred-reports.js';
import { attemptBatch, type DeliveryDeps, type Outcome } from './delivery.js';
import { hasEndSubscribers, publishEnd } from './diagnostics.js';
import { ErrorCodes, IngestionError } from './errors.js';
import { type FailureSink, outcomeError, reportFailure } from './failures.js';
import { RecordQueue } from './queue.js';
import { decideRetry, type RetryDecision, type RetryPolicy } from './retry.js';
import type { ResolvedConfig } from './types.js';

export interface EngineDeps extends DeliveryDeps, FailureSink {
  readonly config: ResolvedConfig;
  readonly clock: Clock;
}

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
}

export class Engine {
  readonly #deps: EngineDeps;
  readonly #config: ResolvedConfig;
  readonly #policy: RetryPolicy;
  readonly #queue = new RecordQueue();
  readonly #active = new Set<Batch>();
  readonly #reports: DeferredReports;
  #ready: Batch[] = [];
  #waiters: Waiter[] = [];
  #inFlight = 0;
  #seq = 0;
  #sendUpTo = 0;
  #timer: TimerHandle | undefined;
  #armed = false;
  #pumpScheduled = false;
  #hold = false;
  #closed = false;
  #draining = false;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
    this.#config = deps.config;
    const { maxRetries, retryBaseMs, retryMaxMs } = deps.config;
    this.#policy = { maxRetries, retryBaseMs, retryMaxMs, random: deps.clock.random };
    this.#reports = new DeferredReports(deps, deps.config.maxBatchBytes, () =>
      this.#checkWaiters(),
    );
  }

  /** Takes one serialized record (hot path: no I/O, no throw). False when refused or dropped. */
  accept(text: string, bytes: number): boolean {
    const stats = this.#deps.stats;
    if (this.#closed) return this.refuse(ErrorCodes.CLOSED, text, bytes, 'pushed after close()');
    if (!fitsAlone(bytes, this.#config.maxBatchBytes)) return this.#tooLarge(text, bytes);
    if (stats.bufferedBytes + bytes > this.#config.maxBufferBytes && !this.#makeRoom(bytes)) {
      return this.refuse(ErrorCodes.BUFFER_OVERFLOW, text, bytes, this.#overflowReason());
    }
    this.#queue.push({ text, bytes, seq: ++this.#seq });
    stats.bufferedBytes += bytes;
    if (!this.#armed) this.#arm();
    if (
      !this.#pumpScheduled &&
      hasFullBatch(this.#queue, this.#config.maxBatchBytes, this.#config.maxBatchRecords)
    ) {
      this.#pumpScheduled = true;
      setImmediate(() => {
        this.#pumpScheduled = false;
        this.#pump();
      });
    }
    return true;
  }

  /** Reports a record refused inside push() (deferred, aggregated). Returns false. */
  refuse(
    code: (typeof ErrorCodes)[keyof typeof ErrorCodes],
    text: string,
    bytes: number,
    reason: string,
    hint?: string,
  ): false {
    this.#reports.add(code, text, bytes, reason, hint);
    return false;
  }

  /** Resolves when every record accepted so far has been delivered or finally failed. */
  flush(): Promise<void> {
    const target = this.#seq;
    if (this.#lowestUnsettled() > target) return Promise.resolve();
    this.#sendUpTo = Math.max(this.#sendUpTo, target);
    return new Promise<void>((resolve) => {
      this.#waiters.push({ target, resolve });
      this.#setHold(true);
      this.#pump();
    });
  }

  /** Flushes everything, bounded by closeTimeoutMs; then gives up on what is left. */
  async close(): Promise<{ abandoned: boolean }> {
    this.#closed = true;
    this.#stopTimer();
    let abandoned = false;
    const deadline = this.#deps.clock.setTimeout(() => {
      abandoned = true;
      this.abandon('close() timed out');
    }, this.#config.closeTimeoutMs);
    await this.flush();
    this.#deps.clock.clearTimeout(deadline);
    return { abandoned };
  }

  /** Immediate: fails everything queued or active with CLOSED (counted dropped). */
  abandon(reason: string): void {
    this.#closed ||= reason !== 'exit';
    const queued = this.#queue.drain();
    for (const r of queued) this.refuse(ErrorCodes.CLOSED, r.text, r.bytes, reason);
    this.#deps.stats.bufferedBytes -= queued.reduce((sum, r) => sum + r.bytes, 0);
    for (const batch of this.#active) this.#giveUp(batch, reason);
    this.#active.clear();
    this.#ready = [];
    this.#checkWaiters();
  }

  /** Stops the flush timer (close, destroy). */
  stop(): void {
    this.#closed = true;
    this.#stopTimer();
  }

  /** `beforeExit`: the loop is empty; send what is pending, bounded by closeTimeoutMs. */
  onBeforeExit(): void {
    if (this.#closed || this.#draining || this.#lowestUnsettled() > this.#seq) return;
    this.#draining = true;
    // Ref'd on purpose: it bounds the drain and keeps the process alive until then.
    const deadline = this.#deps.clock.setTimeout(
      () => this.abandon('exit'),
      this.#config.closeTimeoutMs,
    );
    void this.flush().then(() => {
      this.#deps.clock.clearTimeout(deadline);
      this.#draining = false;
    });
  }

  #tooLarge(text: string, bytes: number): false {
    const max = this.#config.maxBatchBytes;
    const hint = `a record of ${bytes} bytes cannot fit in a request body of at most ${max} bytes (maxBatchBytes, 2 bytes go to the brackets); shrink the record`;
    return this.refuse(
      ErrorCodes.RECORD_TOO_LARGE,
      text,
      bytes,
      'record too large for one request',
      hint,
    );
  }

  #overflowReason(): string {
    return `buffer full, policy ${this.#config.overflow}`;
  }

  /** drop-oldest: drops queued (never active) records until `bytes` fit. */
  #makeRoom(bytes: number): boolean {
    if (this.#config.overflow !== 'drop-oldest') return false;
    const stats = this.#deps.stats;
    const max = this.#config.maxBufferBytes;
    while (stats.bufferedBytes + bytes > max && this.#queue.length > 0) {
      const old = this.#queue.shift()!;
      stats.bufferedBytes -= old.bytes;
      this.refuse(ErrorCodes.BUFFER_OVERFLOW, old.text, old.bytes, this.#overflowReason());
    }
    return stats.bufferedBytes + bytes <= max;
  }

  #arm(): void {
    this.#armed = true;
    if (this.#timer) {
      this.#timer.refresh();
      return;
    }
    this.#timer = this.#deps.clock.setTimeout(
      () => this.#onInterval(),
      this.#config.flushIntervalMs,
    );
    this.#timer.unref();
  }

  #onInterval(): void {
    this.#armed = false;
    this.#sendUpTo = Math.max(this.#sendUpTo, this.#seq);
    this.#pump();
  }

  #stopTimer(): void {
    if (this.#timer) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armed = false;
  }

  /** Starts attempts while slots are free: ready batches first, then new ones from the queue. */
  #pump(): void {
    const { maxConcurrency, maxBatchBytes, maxBatchRecords } = this.#config;
    while (this.#inFlight < maxConcurrency) {
      let batch = this.#ready.shift();
      if (!batch) {
        if (this.#active.size >= maxConcurrency || !this.#queueReady()) break;
        batch = newBatch(takeBatch(this.#queue, maxBatchBytes, maxBatchRecords));
        this.#active.add(batch);
      }
      this.#start(batch);
    }
    const head = this.#queue.peek();
    if (head && head.seq > this.#sendUpTo && !this.#armed && !this.#closed) this.#arm();
  }

  #queueReady(): boolean {
    const head = this.#queue.peek();
    if (!head) return false;
    if (head.seq <= this.#sendUpTo) return true;
    return hasFullBatch(this.#queue, this.#config.maxBatchBytes, this.#config.maxBatchRecords);
  }

  #start(batch: Batch): void {
    this.#inFlight++;
    this.#deps.stats.inFlight = this.#inFlight;
    void attemptBatch(batch, this.#deps).then((outcome) => {
      this.#inFlight--;
      this.#deps.stats.inFlight = this.#inFlight;
      if (!batch.abandoned) this.#judge(batch, outcome);
      this.#pump();
    });
  }

  #judge(batch: Batch, outcome: Outcome): void {
    const status = outcome.status;
    if (status !== undefined && status >= 200 && status < 300) {
      this.#deps.stats.delivered += batch.records.length;
      this.#publishEnd(outcome, undefined);
      this.#settle(batch);
      return;
    }
    const decision = decideRetry(
      {
        ...(status !== undefined ? { status } : {}),
        ...(outcome.errorCode !== undefined ? { errorCode: outcome.errorCode } : {}),
        ...(outcome.answer?.headers['retry-after'] !== undefined
          ? { retryAfter: outcome.answer.headers['retry-after'] }
          : {}),
        attempt: batch.attempt,
        now: this.#deps.clock.now(),
        records: batch.records.length,
        tokenRefreshed: batch.tokenRefreshed,
      },
      this.#policy,
    );
    this.#publishEnd(outcome, decision.action === 'retry' ? decision.delayMs : undefined);
    this.#apply(batch, decision, outcome);
  }

  #apply(batch: Batch, decision: RetryDecision, outcome: Outcome): void {
    if (decision.action === 'retry') {
      this.#deps.stats.retried++;
      batch.attempt++;
      if (decision.refreshToken) batch.forceRefresh = batch.tokenRefreshed = true;
      this.#retryLater(batch, decision.delayMs);
    } else if (decision.action === 'split') {
      const [first, second] = splitBatch(batch.records).map(newBatch) as [Batch, Batch];
      this.#active.delete(batch);
      this.#active.add(first).add(second);
      this.#ready.unshift(first, second);
    } else {
      const error = outcomeError(decision.code, outcome, batch.records.length);
      this.#settle(batch);
      reportFailure(this.#deps, error, recordTexts(batch.records));
    }
  }

  #retryLater(batch: Batch, delayMs: number): void {
    if (delayMs <= 0) {
      this.#ready.push(batch);
      return;
    }
    batch.timer = this.#deps.clock.setTimeout(() => {
      batch.timer = undefined;
      this.#ready.push(batch);
      this.#pump();
    }, delayMs);
    // Unref'd unless someone awaits flush()/close(): an idle process may exit during a backoff.
    if (!this.#hold) batch.timer.unref();
  }

  #settle(batch: Batch): void {
    if (!this.#active.delete(batch)) return;
    this.#deps.stats.bufferedBytes -= batch.bytes;
    this.#checkWaiters();
  }

  #giveUp(batch: Batch, reason: string): void {
    batch.abandoned = true;
    if (batch.timer) this.#deps.clock.clearTimeout(batch.timer);
    batch.timer = undefined;
    this.#deps.stats.bufferedBytes -= batch.bytes;
    const error = new IngestionError(
      ErrorCodes.CLOSED,
      `${batch.records.length} records not delivered: ${reason}`,
      {
        recordCount: batch.records.length,
      },
    );
    reportFailure(this.#deps, error, recordTexts(batch.records), reason);
  }

  #lowestUnsettled(): number {
    let low = this.#queue.peek()?.seq ?? Number.POSITIVE_INFINITY;
    for (const batch of this.#active) low = Math.min(low, batch.records[0]?.seq ?? low);
    return low;
  }

  #checkWaiters(): void {
    if (this.#waiters.length === 0) return;
    const low = this.#lowestUnsettled();
    const done = this.#waiters.filter((w) => w.target < low);
    if (done.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.target >= low);
    if (this.#waiters.length === 0) this.#setHold(false);
    for (const w of done) w.resolve();
  }

  /** While flush()/close() is awaited, retry timers keep the process alive. */
  #setHold(hold: boolean): void {
    if (this.#hold === hold) return;
    this.#hold = hold;
    for (const batch of this.#active) {
      if (batch.timer) hold ? batch.timer.ref() : batch.timer.unref();
    }
  }

  #publishEnd(outcome: Outcome, retry: number | undefined): void {
    if (!hasEndSubscribers()) return;
    const base = { ...outcome.start, durationMs: outcome.durationMs };
    publishEnd({
      ...base,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      ...(outcome.errorCode !== undefined ? { errorCode: outcome.errorCode } : {}),
      ...(retry !== undefined ? { retry } : {}),
    });
  }
}
