/** How many keys are remembered: a server mostly sees the same few keys call after call. */
const REMEMBERED = 4;

/**
 * The SHA-256 hashes of the last few keys that authenticated, so a key seen again is not
 * hashed again (the hash was the largest cost of a cached key in a profile of the benchmark,
 * ~1.7 µs a call). Only the hash is remembered beside the key: whether the key is still
 * valid is asked of the cache by hash every time, so revocation and expiry work as before.
 *
 * Keys are compared in constant time, so the time a call takes says nothing about how much
 * of a remembered key a guess got right. The remembered keys are secrets held in memory as
 * every request's own header is, never written anywhere.
 */
export class RecentKeyHashes {
  readonly #keys: string[] = [];
  readonly #hashes: string[] = [];
  #next = 0;

  /** `key`'s hash if `key` is remembered, else undefined. */
  get(key: string): string | undefined {
    for (let i = 0; i < this.#keys.length; i++) {
      if (sameText(this.#keys[i]!, key)) return this.#hashes[i];
    }
    return undefined;
  }

  /**
   * Remembers `key`, which {@link RecentKeyHashes.get} does not know, with its `hash` (as
   * `hashKey` made it), forgetting the oldest.
   */
  remember(key: string, hash: string): void {
    this.#keys[this.#next] = key;
    this.#hashes[this.#next] = hash;
    this.#next = (this.#next + 1) % REMEMBERED;
  }
}

/** `a === b` in time that depends on the lengths only (keys all have the same length). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
