/** A running call as the tracker sees it. */
export interface TrackedCall {
  /**
   * Answers the call UNAVAILABLE now, unless its status went out already; true when it did.
   * Its handler's signal fires once the status is out.
   */
  interrupt(): boolean;
  /** Writes the call's log record now, as cancelled by the server; later ends change nothing. */
  abandon(): void;
}

/**
 * Knows the calls in flight so shutdown can wait for them (and for their log records) before
 * flushing the sinks, and write the records of calls whose handlers never return.
 */
export class CallTracker {
  readonly #running = new Set<TrackedCall>();
  #waiters: Array<() => void> = [];
  #cancelling = false;

  /** Calls currently running. */
  get active(): number {
    return this.#running.size;
  }

  /**
   * True once shutdown's grace period is over and the calls still running are being
   * cancelled: a call aborted from then on was cancelled by the server, not its client.
   */
  get cancelling(): boolean {
    return this.#cancelling;
  }

  /** Marks the start of shutdown's forced cancellation (see {@link cancelling}). */
  startCancelling(): void {
    this.#cancelling = true;
  }

  /**
   * Marks a call started; the caller calls {@link finish} exactly once when it is done.
   * (The call itself is kept, no per-call closure: see `patchPrototype` in wire-prototype.ts.)
   */
  start(call: TrackedCall): void {
    this.#running.add(call);
  }

  /** Marks a call {@link start}ed before as finished. */
  finish(call: TrackedCall): void {
    this.#running.delete(call);
    if (this.#running.size === 0) for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves when no call is running, or after `timeoutMs` (returns false then). */
  async idle(timeoutMs: number): Promise<boolean> {
    if (this.#running.size === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(this.#running.size === 0), timeoutMs);
      timer.unref();
      this.#waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /**
   * Answers every running call UNAVAILABLE (see {@link TrackedCall.interrupt}) and returns
   * how many were answered. Call after {@link startCancelling}.
   */
  interruptRunning(): number {
    let interrupted = 0;
    for (const call of [...this.#running]) if (call.interrupt()) interrupted++;
    return interrupted;
  }

  /**
   * Writes the records of the calls still running (handlers that ignore their cancellation
   * would otherwise take them past the sinks' close) and returns how many there were.
   */
  abandonRunning(): number {
    const stragglers = [...this.#running];
    for (const call of stragglers) call.abandon();
    return stragglers.length;
  }
}
