/**
 * Failures found inside `push()` (too large, invalid, dropped by the overflow policy, pushed
 * after close) are reported one microtask later, aggregated: one `onError` call per kind per
 * burst instead of one per record, and never from inside the caller's log call (an `onError`
 * that logs would otherwise re-enter `push()`).
 *
 * The record texts kept for `onError` are capped per burst (`retainBytes`) so a synchronous
 * flood of drops cannot hold unbounded memory; the error's `recordCount` still says how many.
 */
import { type ErrorCode, IngestionError } from '../errors.js';
import { countFailure, type FailureSink, notifyFailure } from './failures.js';

interface Group {
  readonly code: ErrorCode;
  readonly reason: string;
  readonly hint: string | undefined;
  readonly texts: string[];
  count: number;
  retained: number;
}

export class DeferredReports {
  readonly #sink: FailureSink;
  readonly #retainBytes: number;
  readonly #after: () => void;
  #groups = new Map<string, Group>();
  #scheduled = false;

  /** `after` runs once the reports went out (the engine re-checks its flush waiters). */
  constructor(sink: FailureSink, retainBytes: number, after: () => void) {
    this.#sink = sink;
    this.#retainBytes = retainBytes;
    this.#after = after;
  }

  /** Adds one failed record. `reason` is the short text of the warning line. */
  add(code: ErrorCode, text: string, bytes: number, reason: string, hint?: string): void {
    const key = `${code}\u0000${reason}`;
    let group = this.#groups.get(key);
    if (!group) {
      group = { code, reason, hint, texts: [], count: 0, retained: 0 };
      this.#groups.set(key, group);
    }
    group.count++;
    // Counted now so stats() is exact right after push(); reported one microtask later.
    countFailure(this.#sink, code, 1);
    if (group.retained + bytes <= this.#retainBytes) {
      group.texts.push(text);
      group.retained += bytes;
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(() => this.#report());
    }
  }

  #report(): void {
    this.#scheduled = false;
    const groups = [...this.#groups.values()];
    this.#groups = new Map();
    for (const g of groups) {
      const plural = g.count === 1 ? 'record' : 'records';
      const error = new IngestionError(g.code, `${g.count} ${plural} not delivered: ${g.reason}`, {
        recordCount: g.count,
        hint: g.hint,
      });
      notifyFailure(this.#sink, error, g.texts, g.reason);
    }
    this.#after();
  }
}
