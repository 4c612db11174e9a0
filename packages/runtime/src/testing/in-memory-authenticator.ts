import { createHash, timingSafeEqual } from "node:crypto";
import type {
  ApiKeyInfo,
  AuthMethod,
  AuthResult,
  Authenticator,
  Credential,
  Identity,
  User,
} from "../contracts/identity.js";

/** A user for {@link InMemoryAuthenticator}: id and username required, the rest defaulted. */
export type UserInput = Pick<User, "id" | "username"> &
  Partial<Omit<User, "id" | "username" | "permissions">> & {
    readonly permissions?: Iterable<string>;
  };

/** One accepted key. */
export interface InMemoryKey {
  /** The secret the client sends. Only its SHA-256 is kept. */
  readonly key: string;
  readonly user: UserInput;
  /** Key id/name for attribution. Default: id = index + 1, name = `key-<id>`. */
  readonly apiKey?: { readonly id: number; readonly name?: string };
  /** Default `api-key`. */
  readonly method?: AuthMethod;
}

/** Fills a {@link User} from partial input (active, not staff, no permissions by default). */
export function createUser(input: UserInput): User {
  return Object.freeze({
    id: input.id,
    username: input.username,
    email: input.email ?? null,
    isActive: input.isActive ?? true,
    isStaff: input.isStaff ?? false,
    isSuperuser: input.isSuperuser ?? false,
    permissions: new Set(input.permissions ?? []),
  });
}

const sha256 = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

interface Entry {
  readonly digest: Buffer;
  readonly identity: Identity;
}

/**
 * Authenticator over a fixed list of keys, for tests and examples. Keeps only SHA-256
 * digests and compares them in constant time. Accepts the key from the API-key header and
 * as a bearer token; `sources` narrows that (others get null: "not mine").
 */
export class InMemoryAuthenticator implements Authenticator {
  readonly #entries: Entry[];
  readonly #sources: ReadonlySet<Credential["source"]>;

  constructor(
    keys: readonly InMemoryKey[],
    sources: readonly Credential["source"][] = ["api-key", "bearer"],
  ) {
    this.#sources = new Set(sources);
    this.#entries = keys.map((entry, index) => {
      const user = createUser(entry.user);
      const id = entry.apiKey?.id ?? index + 1;
      const apiKey: ApiKeyInfo = {
        id,
        name: entry.apiKey?.name ?? `key-${id}`,
        displayPrefix: entry.key.slice(0, 6),
        userId: user.id,
      };
      return {
        digest: sha256(entry.key),
        identity: { user, apiKey, method: entry.method ?? "api-key" },
      };
    });
  }

  /** Checks the credential against every key (no early exit, so timing does not tell which). */
  async authenticate(credential: Credential): Promise<AuthResult | null> {
    if (!this.#sources.has(credential.source)) return null;
    const digest = sha256(credential.value);
    let match: Identity | null = null;
    for (const entry of this.#entries) {
      if (timingSafeEqual(entry.digest, digest)) match = entry.identity;
    }
    return match ? { ok: true, identity: match } : { ok: false, reason: "unknown API key" };
  }
}
