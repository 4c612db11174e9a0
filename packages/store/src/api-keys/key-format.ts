import * as crypto from "node:crypto";
import { createHash, randomBytes } from "node:crypto";

/** Every grpc-cfg API key starts with this. */
export const KEY_PREFIX = "gcfg_";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** 32 random bytes in base62: 62^43 > 2^256, so 43 digits always suffice. */
const BODY_LENGTH = 43;
/** First 4 bytes of SHA-256(body) in base62 (62^6 > 2^32). */
const CHECKSUM_LENGTH = 6;
const DISPLAY_LENGTH = 8;
const KEY_SHAPE = new RegExp(`^${KEY_PREFIX}[0-9A-Za-z]{${BODY_LENGTH + CHECKSUM_LENGTH}}$`);

/** A freshly generated key: the secret (shown once) and what is stored about it. */
export interface GeneratedKey {
  readonly key: string;
  readonly hash: string;
  readonly displayPrefix: string;
}

/**
 * Makes a new key: `gcfg_` + base62 of 32 bytes from `crypto.randomBytes` (256 bits) + a
 * 6-character checksum. The checksum lets {@link isWellFormedKey} reject typos and junk
 * without touching the database.
 */
export function generateKey(): GeneratedKey {
  const body = toBase62(randomBytes(32), BODY_LENGTH);
  const key = `${KEY_PREFIX}${body}${checksumOf(body)}`;
  return { key, hash: hashKey(key), displayPrefix: displayPrefixOf(key) };
}

/** True when `value` looks like a key (prefix, length, alphabet); the checksum is not checked. */
export function hasKeyShape(value: string): boolean {
  return KEY_SHAPE.test(value);
}

/** True when `value` has the key shape and a matching checksum. Pure CPU, no I/O. */
export function isWellFormedKey(value: string): boolean {
  if (!KEY_SHAPE.test(value)) return false;
  const body = value.slice(KEY_PREFIX.length, KEY_PREFIX.length + BODY_LENGTH);
  return value.slice(KEY_PREFIX.length + BODY_LENGTH) === checksumOf(body);
}

/**
 * Why `value` is not a well-formed key, in words safe to send back to the caller: it names
 * what is wrong (a key cut short when copied is the common case; a longer value is usually two
 * keys, or a key with text after it), never the value.
 */
export function malformedKeyReason(value: string): string {
  if (!value.startsWith(KEY_PREFIX)) {
    return `malformed API key (grpc-cfg keys start with ${KEY_PREFIX})`;
  }
  const expected = BODY_LENGTH + CHECKSUM_LENGTH;
  const length = value.length - KEY_PREFIX.length;
  if (length !== expected) {
    const why =
      length < expected
        ? "cut short when copied?"
        : "extra characters after the key (two keys, or trailing text?)";
    return `malformed API key (${expected} characters expected after ${KEY_PREFIX}, got ${length}; ${why})`;
  }
  if (!KEY_SHAPE.test(value)) {
    return `malformed API key (only letters and digits follow ${KEY_PREFIX})`;
  }
  return "malformed API key (checksum mismatch; mistyped?)";
}

// One-shot `crypto.hash` (Node ≥ 20.12) is ~2.5× faster than a Hash object; keys are hashed
// on every authenticated call.
const oneShotHash = (
  crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }
).hash;

/** Lower-case hex SHA-256 of the full key: the only form stored. */
export function hashKey(key: string): string {
  return oneShotHash
    ? oneShotHash("sha256", key, "hex")
    : createHash("sha256").update(key, "utf8").digest("hex");
}

/** Non-secret prefix for display, e.g. `gcfg_AbC1xY9z` (8 of the 43 random characters). */
export function displayPrefixOf(key: string): string {
  return key.slice(0, KEY_PREFIX.length + DISPLAY_LENGTH);
}

function checksumOf(body: string): string {
  return toBase62(
    createHash("sha256").update(body, "utf8").digest().subarray(0, 4),
    CHECKSUM_LENGTH,
  );
}

function toBase62(bytes: Uint8Array, length: number): string {
  let value = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  let text = "";
  while (value > 0n) {
    text = ALPHABET[Number(value % 62n)] + text;
    value /= 62n;
  }
  return text.padStart(length, "0");
}
