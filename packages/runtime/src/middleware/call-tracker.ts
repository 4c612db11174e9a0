/**
 * Counts calls in flight so shutdown can wait for them (and for their log records) before
 * flushing the sinks.
 */
export class CallTracker {
  #active = 0;
  #waiters: Array<() => void> = [];

  /** Calls currently running. */
  get active(): number {
    return this.#active;
  }

  /**
   * Marks a call started; the caller calls {@link finish} exactly once when it is done.
   * (No per-call closure: see `patchPrototype` in call-outcome.ts for why that matters.)
   */
  start(): void {
    this.#active++;
  }

  /** Marks a call {@link start}ed before as finished. */
  finish(): void {
    this.#active--;
    if (this.#active === 0) for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves when no call is running, or after `timeoutMs` (returns false then). */
  async idle(timeoutMs: number): Promise<boolean> {
    if (this.#active === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(this.#active === 0), timeoutMs);
      timer.unref();
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
