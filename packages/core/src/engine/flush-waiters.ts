/**
 * The pending flush() calls. Each waits for a target acceptance number; all resolve once the
 * lowest unsettled record is past their target. While any wait, `onHold(true)` lets the engine
 * keep its retry timers ref'd (an awaited flush must not be cut short by the process exiting).
 */

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
}

export class FlushWaiters {
  #waiters: Waiter[] = [];
  readonly #onHold: (hold: boolean) => void;

  constructor(onHold: (hold: boolean) => void) {
    this.#onHold = onHold;
  }

  get holding(): boolean {
    return this.#waiters.length > 0;
  }

  /** Resolves once every record up to `target` has settled. */
  wait(target: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#waiters.push({ target, resolve });
      if (this.#waiters.length === 1) this.#onHold(true);
    });
  }

  /** Resolves the waiters whose target is below `lowestUnsettled`. */
  settledBelow(lowestUnsettled: number): void {
    if (this.#waiters.length === 0) return;
    const done = this.#waiters.filter((w) => w.target < lowestUnsettled);
    if (done.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.target >= lowestUnsettled);
    if (this.#waiters.length === 0) this.#onHold(false);
    for (const w of done) w.resolve();
  }
}
