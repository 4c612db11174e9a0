import { describe, expect, it } from "vitest";
import { generateKey } from "./key-format.js";
import { RecentKeyHashes } from "./recent-key-hashes.js";

describe("RecentKeyHashes", () => {
  it("gives back the hash of a remembered key and nothing for a key differing in one character", () => {
    const recent = new RecentKeyHashes();
    const { key, hash } = generateKey();
    expect(recent.get(key)).toBeUndefined();
    recent.remember(key, hash);
    expect(recent.get(key)).toBe(hash);
    // A copy built at run time, not the same string object.
    expect(recent.get([...key].join(""))).toBe(hash);
    const last = key.at(-1) === "A" ? "B" : "A";
    expect(recent.get(key.slice(0, -1) + last)).toBeUndefined();
    expect(recent.get(key.slice(0, -1))).toBeUndefined();
    expect(recent.get(`${key}A`)).toBeUndefined();
  });

  it("remembers the last four keys, forgetting the oldest", () => {
    const recent = new RecentKeyHashes();
    const keys = Array.from({ length: 5 }, () => generateKey());
    for (const { key, hash } of keys) recent.remember(key, hash);
    expect(recent.get(keys[0]!.key)).toBeUndefined();
    for (const { key, hash } of keys.slice(1)) expect(recent.get(key)).toBe(hash);
  });
});
