/**
 * Single-flight, bounded lookups by key: concurrent callers of one key share one lookup; at
 * most `maxRunning` lookups run at once and up to `maxWaiting` more wait their turn in order.
 * Past that, {@link BoundedLookups.run} starts nothing and says so, and the caller refuses the
 * work — the point being that callers who choose the keys cannot queue unbounded work.
 *
 * A `priority` lookup (the caller knows the key is real: it was found before) waits in a
 * queue of its own that is served first and never refused, so a flood of made-up keys filling
 * the ordinary queue cannot lock out clients whose cache entry just expired. Its length is
 * bounded by the caller, by the number of keys it has found.
 */
export class BoundedLookups<K, V> {
  readonly #inflight = new Map<K, Promise<V>>();
  readonly #maxRunning: number;
  readonly #maxWaiting: number;
  /** Lookups holding a slot; callbacks of the ones waiting for a slot, oldest first. */
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  readonly #waitingFirst: Array<() => void> = [];

  constructor(maxRunning: number, maxWaiting: number) {
    this.#maxRunning = Math.max(1, maxRunning);
    this.#maxWaiting = Math.max(0, maxWaiting);
  }

  /**
   * The lookup of `key`: the one already pending, else `load()` started now or once a slot
   * frees up (ahead of ordinary ones when `priority`). Null when every slot is taken and the
   * queue is full (never for a `priority` lookup).
   */
  run(key: K, load: () => Promise<V>, priority = false): Promise<V> | null {
    const joined = this.#inflight.get(key);
    if (joined) return joined;
    let loaded: Promise<V>;
    if (this.#running < this.#maxRunning) {
      this.#running += 1;
      loaded = load();
    } else if (priority) {
      loaded = new Promise<void>((resolve) => this.#waitingFirst.push(resolve)).then(load);
    } else if (this.#waiting.length < this.#maxWaiting) {
      loaded = new Promise<void>((resolve) => this.#waiting.push(resolve)).then(load);
    } else {
      return null;
    }
    const pending = loaded.finally(() => {
      this.#inflight.delete(key);
      this.#releaseSlot();
    });
    this.#inflight.set(key, pending);
    return pending;
  }

  /** Lookups running now. */
  get running(): number {
    return this.#running;
  }

  /** Lookups waiting for a slot (priority ones included). */
  get waiting(): number {
    return this.#waiting.length + this.#waitingFirst.length;
  }

  /** Hands a finished lookup's slot to the oldest priority one, else the oldest waiting one. */
  #releaseSlot(): void {
    const next = this.#waitingFirst.shift() ?? this.#waiting.shift();
    if (next) next();
    else this.#running -= 1;
  }
}
