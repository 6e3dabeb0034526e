/**
 * The rate-limited warning line on stderr. Delivery problems must be visible without
 * flooding: the first problem is printed at once (after the current tick, so a burst of
 * drops becomes one line), later ones are counted and printed together at most once per
 * `intervalMs`, e.g.
 *
 *   azure-ingestion-core: 12 records dropped (buffer full, policy drop-oldest),
 *   3 rejected (ERR_INGESTION_FORBIDDEN: HTTP 403 …; the identity needs …) in the last 30s
 *
 * (one line). Outages are notices: "delivery failing: connection refused by …; …", then
 * "delivery recovered after 20 s". The timer is unref'd; `close()` prints what is pending,
 * and so does the exit hook, synchronously.
 */
import { writeSync } from 'node:fs';

export interface WarnerOptions {
  readonly enabled: boolean;
  readonly intervalMs: number;
  /** Replaces stderr. */
  readonly sink?: ((line: string) => void) | undefined;
  readonly now?: () => number;
}

/** `notice`: a line of its own (an outage began or ended), not a count of records. */
type Kind = 'dropped' | 'rejected' | 'notice';

export class Warner {
  readonly #options: WarnerOptions;
  readonly #now: () => number;
  readonly #pending = new Map<string, { kind: Kind; reason: string; count: number }>();
  #windowStart = 0;
  #lastLine = Number.NEGATIVE_INFINITY;
  #scheduled = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: WarnerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Counts `count` records dropped for `reason` (e.g. `buffer full, policy drop-oldest`). */
  dropped(count: number, reason: string): void {
    this.#add('dropped', count, reason);
  }

  /** Counts `count` records rejected for `reason` (e.g. `403 ERR_INGESTION_FORBIDDEN: …`). */
  rejected(count: number, reason: string): void {
    this.#add('rejected', count, reason);
  }

  /** A line about the delivery itself, e.g. `delivery failing: … ` (repeats are counted). */
  notice(text: string): void {
    this.#add('notice', 1, text);
  }

  /**
   * Prints what is pending now (used by close, and at process exit with `sync`: stderr is then
   * written with a blocking write, as nothing asynchronous runs any more) and stops the timer.
   */
  flush(sync = false): void {
    this.stop();
    if (this.#pending.size > 0) this.#emit(sync);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #add(kind: Kind, count: number, reason: string): void {
    if (!this.#options.enabled || count <= 0) return;
    if (this.#pending.size === 0) this.#windowStart = this.#now();
    const key = `${kind}\u0000${reason}`;
    const entry = this.#pending.get(key);
    if (entry) entry.count += count;
    else this.#pending.set(key, { kind, reason, count });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#timer) return;
    const wait = this.#lastLine + this.#options.intervalMs - this.#now();
    if (wait <= 0) {
      this.#scheduled = true;
      queueMicrotask(() => {
        this.#scheduled = false;
        if (this.#pending.size > 0) this.#emit();
      });
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#pending.size > 0) this.#emit();
    }, wait);
    this.#timer.unref();
  }

  #emit(sync = false): void {
    const now = this.#now();
    const line = formatLine([...this.#pending.values()], now - this.#windowStart);
    this.#pending.clear();
    this.#lastLine = now;
    try {
      if (this.#options.sink) this.#options.sink(line);
      else if (sync) writeSync(2, `${line}\n`);
      else process.stderr.write(`${line}\n`);
    } catch {
      // A broken sink must not break delivery.
    }
  }
}

function formatLine(
  entries: readonly { kind: Kind; reason: string; count: number }[],
  elapsedMs: number,
): string {
  const notices = entries
    .filter((e) => e.kind === 'notice')
    .map((e) => (e.count > 1 ? `${e.reason} (${e.count} times)` : e.reason));
  const parts = entries
    .filter((e) => e.kind !== 'notice')
    .map((e, i) => {
      const noun = i === 0 ? (e.count === 1 ? 'record ' : 'records ') : '';
      return `${e.count} ${noun}${e.kind} (${e.reason})`;
    });
  const window =
    parts.length > 0 && elapsedMs >= 1000 ? ` in the last ${Math.round(elapsedMs / 1000)}s` : '';
  const counted = parts.length > 0 ? [`${parts.join(', ')}${window}`] : [];
  return `azure-ingestion-core: ${[...notices, ...counted].join('; ')}`;
}
