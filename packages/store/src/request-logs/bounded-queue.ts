/**
 * FIFO ring buffer with a fixed capacity. When full, pushing drops the OLDEST item: for logs
 * the newest records matter most while the database is down.
 */
export class BoundedQueue<T> {
  readonly #slots: (T | undefined)[];
  #head = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new RangeError("capacity must be a positive integer");
    this.#slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  get capacity(): number {
    return this.#slots.length;
  }

  /** Appends; returns how many old items were dropped to make room (0 or 1). */
  push(item: T): number {
    let dropped = 0;
    if (this.#size === this.#slots.length) {
      this.#slots[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#slots.length;
      this.#size -= 1;
      dropped = 1;
    }
    this.#slots[(this.#head + this.#size) % this.#slots.length] = item;
    this.#size += 1;
    return dropped;
  }

  /** Removes and returns up to `count` items from the front. */
  take(count: number): T[] {
    const n = Math.min(count, this.#size);
    const items: T[] = [];
    for (let i = 0; i < n; i += 1) {
      items.push(this.#slots[this.#head] as T);
      this.#slots[this.#head] = undefined;
      this.#head = (this.#head + 1) % this.#slots.length;
    }
    this.#size -= n;
    return items;
  }

  /**
   * Puts items taken earlier back at the front (a failed write). They are the oldest, so when
   * there is no room it is they that are dropped. Returns how many were dropped.
   */
  requeueFront(items: readonly T[]): number {
    const room = this.#slots.length - this.#size;
    const kept = items.length > room ? items.slice(items.length - room) : items;
    for (let i = kept.length - 1; i >= 0; i -= 1) {
      this.#head = (this.#head - 1 + this.#slots.length) % this.#slots.length;
      this.#slots[this.#head] = kept[i];
      this.#size += 1;
    }
    return items.length - kept.length;
  }
}
