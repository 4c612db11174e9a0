import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  displayPrefixOf,
  generateKey,
  hashKey,
  isWellFormedKey,
  KEY_PREFIX,
  malformedKeyReason,
} from "./key-format.js";

describe("API key format", () => {
  it("makes prefixed keys carrying 256 random bits and a valid checksum", () => {
    const keys = Array.from({ length: 200 }, () => generateKey());
    for (const { key, hash, displayPrefix } of keys) {
      expect(key).toMatch(/^gcfg_[0-9A-Za-z]{49}$/);
      expect(isWellFormedKey(key)).toBe(true);
      expect(hash).toBe(createHash("sha256").update(key).digest("hex"));
      expect(displayPrefix).toBe(key.slice(0, KEY_PREFIX.length + 8));
    }
    expect(new Set(keys.map((entry) => entry.key)).size).toBe(keys.length);
  });

  it("rejects any single-character change through the checksum", () => {
    const { key } = generateKey();
    let rejected = 0;
    let changes = 0;
    for (let i = KEY_PREFIX.length; i < key.length; i += 1) {
      const replacement = key[i] === "7" ? "8" : "7";
      changes += 1;
      if (!isWellFormedKey(key.slice(0, i) + replacement + key.slice(i + 1))) rejected += 1;
    }
    expect(rejected).toBe(changes);
  });

  it("rejects wrong prefixes, lengths and alphabets", () => {
    const { key } = generateKey();
    for (const bad of [
      "",
      KEY_PREFIX,
      key.replace("gcfg_", "gcfx_"),
      key.slice(0, -1),
      `${key}0`,
      key.replace(/.$/, "-"),
    ]) {
      expect(isWellFormedKey(bad), bad).toBe(false);
    }
  });

  it("says what is wrong with a malformed key without repeating it", () => {
    const { key } = generateKey();
    const cases: [string, string][] = [
      ["Bearer abc", "grpc-cfg keys start with gcfg_"],
      [key.slice(0, 30), "49 characters expected after gcfg_, got 25; cut short when copied?"],
      [
        `${key}x`,
        "49 characters expected after gcfg_, got 50; extra characters after the key (two keys, or trailing text?)",
      ],
      [
        // Two x-api-key values, as grpc-js joins them.
        `${key}, ${generateKey().key}`,
        "49 characters expected after gcfg_, got 105; extra characters after the key (two keys, or trailing text?)",
      ],
      [key.replace(/.$/, "-"), "only letters and digits follow gcfg_"],
      [key.slice(0, -1) + (key.endsWith("A") ? "B" : "A"), "checksum mismatch; mistyped?"],
    ];
    for (const [value, why] of cases) {
      const reason = malformedKeyReason(value);
      expect(reason).toBe(`malformed API key (${why})`);
      expect(reason).not.toContain(value.slice(KEY_PREFIX.length, KEY_PREFIX.length + 8));
    }
  });

  it("hashes deterministically and shows only a short prefix", () => {
    expect(hashKey("gcfg_x")).toBe(hashKey("gcfg_x"));
    expect(hashKey("gcfg_x")).not.toBe(hashKey("gcfg_y"));
    expect(displayPrefixOf("gcfg_ABCDEFGHIJKL")).toBe("gcfg_ABCDEFGH");
  });
});
