/**
 * The rate-limited warning line on stderr. Delivery problems must be visible without
 * flooding: the first problem is printed at once (after the current tick, so a burst of
 * drops becomes one line), later ones are counted and printed together at most once per
 * `intervalMs`, e.g.
 *
 *   azure-ingestion-core: 12 records dropped (buffer full, policy drop-oldest),
 *   3 rejected (403 ERR_INGESTION_FORBIDDEN: the identity needs …) in the last 30s
 *
 * (one line). The timer is unref'd; `close()` prints what is pending.
 */

export interface WarnerOptions {
  readonly enabled: boolean;
  readonly intervalMs: number;
  /** Replaces stderr. */
  readonly sink?: ((line: string) => void) | undefined;
  readonly now?: () => number;
}

type Kind = 'dropped' | 'rejected';

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

  /** Prints what is pending now (used by close) and stops the timer. */
  flush(): void {
    this.stop();
    if (this.#pending.size > 0) this.#emit();
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

  #emit(): void {
    const now = this.#now();
    const line = formatLine([...this.#pending.values()], now - this.#windowStart);
    this.#pending.clear();
    this.#lastLine = now;
    try {
      if (this.#options.sink) this.#options.sink(line);
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
  const parts = entries.map((e, i) => {
    const noun = i === 0 ? (e.count === 1 ? 'record ' : 'records ') : '';
    return `${e.count} ${noun}${e.kind} (${e.reason})`;
  });
  const window = elapsedMs >= 1000 ? ` in the last ${Math.round(elapsedMs / 1000)}s` : '';
  return `azure-ingestion-core: ${parts.join(', ')}${window}`;
}
