import { createHash, timingSafeEqual } from "node:crypto";
import { StoreError } from "../errors.js";
import { KEY_PREFIX } from "./key-format.js";

/** Environment variable holding the dev secret key. */
export const SECRET_KEY_ENV = "GRPC_CFG_SECRET_KEY";
// Same bound as the runtime config check, so the store never accepts what the config refuses.
const MIN_LENGTH = 32;

/** Dev-only shared secret accepted as a superuser identity. Off unless enabled. */
export interface SecretKeyOptions {
  readonly enabled: boolean;
  /** The secret; defaults to `process.env.GRPC_CFG_SECRET_KEY`. At least 32 characters. */
  readonly value?: string;
  /** User the secret acts as (created as a superuser on first use). Default `grpc-cfg-dev`. */
  readonly username?: string;
}

/**
 * Compares candidates to the secret in constant time (SHA-256 digests of both, so lengths
 * never leak). Construction refuses an enabled secret when NODE_ENV is `production`.
 */
export class SecretKeyMatcher {
  readonly #digest: Buffer;
  /** The user the secret acts as. */
  readonly username: string;

  private constructor(secret: string, username: string) {
    this.#digest = digest(secret);
    this.username = username;
  }

  /** Null when disabled; throws `misconfigured` when enabled in production or without a usable secret. */
  static create(
    options: SecretKeyOptions | undefined,
    nodeEnv: string | undefined,
  ): SecretKeyMatcher | null {
    if (!options?.enabled) return null;
    if (nodeEnv === "production") {
      throw new StoreError(
        "misconfigured",
        "auth.secretKey is enabled but NODE_ENV=production: the dev secret key is refused in production; " +
          "disable auth.secretKey and use API keys",
      );
    }
    const secret = options.value ?? process.env[SECRET_KEY_ENV];
    if (!secret) {
      throw new StoreError(
        "misconfigured",
        `auth.secretKey is enabled but ${SECRET_KEY_ENV} is not set`,
      );
    }
    if (secret.length < MIN_LENGTH) {
      throw new StoreError(
        "misconfigured",
        `${SECRET_KEY_ENV} must be at least ${MIN_LENGTH} characters`,
      );
    }
    if (secret.startsWith(KEY_PREFIX)) {
      throw new StoreError(
        "misconfigured",
        `${SECRET_KEY_ENV} must not start with "${KEY_PREFIX}" (that prefix marks API keys)`,
      );
    }
    return new SecretKeyMatcher(secret, options.username ?? "grpc-cfg-dev");
  }

  /** True when `candidate` is the secret. Constant time in the candidate's content and length. */
  matches(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.#digest);
  }
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
