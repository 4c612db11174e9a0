import type { Database } from "@grpc-cfg/runtime";
import { and, desc, eq, gt, isNotNull, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { ChangeFeed } from "../change-feed.js";
import { StoreError, unwrapQueryError } from "../errors.js";
import { apiKeys } from "../schema/api-keys.js";
import { users } from "../schema/users.js";
import {
  permissionsOfUser,
  type UserRef,
  type UsersRepository,
} from "../users/users-repository.js";
import {
  isValidKeyName,
  recordColumns,
  statusAt,
  type ApiKeyRecord,
  type ApiKeyStatus,
} from "./api-key-records.js";
import { generateKey } from "./key-format.js";

/** What `apiKeys.create` needs. */
export interface CreateApiKeyInput {
  /** Owner: id or username. */
  readonly user: UserRef;
  readonly name: string;
  /** When the key stops working; null/absent = never. Must be in the future. */
  readonly expiresAt?: Date | null;
}

/** A new key. `key` is the secret: show it once, it is not stored and cannot be recovered. */
export interface CreatedApiKey {
  readonly key: string;
  readonly record: ApiKeyRecord;
}

/** Filters for `apiKeys.list`. */
export interface ListApiKeysOptions {
  readonly user?: UserRef;
  readonly status?: ApiKeyStatus;
}

/** Per-key usage to add in one batch. */
export interface KeyUsage {
  readonly id: number;
  readonly count: number;
  readonly lastUsedAt: Date;
}

/** What the authenticator needs about a key, looked up by hash in one round trip. */
export interface KeyLookup {
  readonly id: number;
  readonly name: string;
  readonly displayPrefix: string;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly user: {
    readonly id: number;
    readonly username: string;
    readonly email: string | null;
    readonly isActive: boolean;
    readonly isStaff: boolean;
    readonly isSuperuser: boolean;
    readonly permissions: readonly string[];
  };
}

/** API keys: create (secret shown once), list, revoke, rotate, usage counters. */
export class ApiKeysRepository {
  readonly #db: Database;
  readonly #feed: ChangeFeed;
  readonly #users: UsersRepository;

  constructor(db: Database, feed: ChangeFeed, usersRepository: UsersRepository) {
    this.#db = db;
    this.#feed = feed;
    this.#users = usersRepository;
  }

  /** Creates a key for a user. Throws `invalid-argument` for a bad name or past expiry. */
  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    if (!isValidKeyName(input.name)) {
      throw new StoreError(
        "invalid-argument",
        "key name must be 1-100 characters without control characters",
      );
    }
    const expiresAt = input.expiresAt ?? null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new StoreError(
        "invalid-argument",
        `expiry ${expiresAt.toISOString()} is not in the future`,
      );
    }
    const owner = await this.#users.get(input.user);
    const generated = generateKey();
    const [row] = await this.#db
      .insert(apiKeys)
      .values({
        name: input.name,
        userId: owner.id,
        keyHash: generated.hash,
        displayPrefix: generated.displayPrefix,
        expiresAt,
      })
      .returning({ id: apiKeys.id })
      .catch(rethrowWithoutParams);
    return { key: generated.key, record: await this.get(row?.id ?? -1) };
  }

  /** The key with this id, or null. */
  async find(id: number): Promise<ApiKeyRecord | null> {
    return (await this.#select(eq(apiKeys.id, id), 1))[0] ?? null;
  }

  /** The key with this id; throws `not-found`. */
  async get(id: number): Promise<ApiKeyRecord> {
    const found = await this.find(id);
    if (!found) throw new StoreError("not-found", `no API key with id ${id}`);
    return found;
  }

  /** Keys, newest first, optionally for one user and/or in one status. */
  async list(options: ListApiKeysOptions = {}): Promise<ApiKeyRecord[]> {
    const now = new Date();
    const filters: (SQL | undefined)[] = [];
    if (options.user !== undefined)
      filters.push(eq(apiKeys.userId, (await this.#users.get(options.user)).id));
    if (options.status === "revoked") filters.push(isNotNull(apiKeys.revokedAt));
    if (options.status === "expired") {
      filters.push(isNull(apiKeys.revokedAt), lte(apiKeys.expiresAt, now));
    }
    if (options.status === "active") {
      filters.push(
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now)),
      );
    }
    return this.#select(and(...filters));
  }

  /** Revokes a key now, on this instance at once and on others via NOTIFY. */
  async revoke(id: number): Promise<ApiKeyRecord> {
    const updated = await this.#db.transaction(async (tx) => {
      const rows = await tx
        .update(apiKeys)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id });
      if (rows.length > 0) await this.#feed.notify(tx, { type: "api-key", id });
      return rows.length > 0;
    });
    if (!updated) {
      const existing = await this.get(id);
      throw new StoreError(
        "failed-precondition",
        `API key ${existing.id} was already revoked at ${existing.revokedAt?.toISOString()}`,
      );
    }
    this.#feed.emitLocal({ type: "api-key", id });
    return this.get(id);
  }

  /**
   * Replaces an active key with a new one (same name, owner and expiry). The old key keeps
   * working for `graceSeconds` (0 = stops now), so clients can switch without downtime — or
   * until its own expiry when that comes sooner; its `graceUntil` records the end that applies.
   */
  async rotate(
    id: number,
    options: { graceSeconds: number },
  ): Promise<CreatedApiKey & { previous: ApiKeyRecord }> {
    if (!Number.isFinite(options.graceSeconds) || options.graceSeconds < 0) {
      throw new StoreError("invalid-argument", "grace period must be 0 seconds or more");
    }
    const generated = generateKey();
    const now = new Date();
    const graceUntil = new Date(now.getTime() + options.graceSeconds * 1000);
    const newId = await this.#db
      .transaction(async (tx) => {
        const [old] = await tx.select().from(apiKeys).where(eq(apiKeys.id, id)).for("update");
        if (!old) throw new StoreError("not-found", `no API key with id ${id}`);
        const status = statusAt(old, now);
        if (status !== "active")
          throw new StoreError(
            "failed-precondition",
            `API key ${id} is ${status}; only active keys can be rotated`,
          );
        const [created] = await tx
          .insert(apiKeys)
          .values({
            name: old.name,
            userId: old.userId,
            keyHash: generated.hash,
            displayPrefix: generated.displayPrefix,
            expiresAt: old.expiresAt,
            rotatedFromId: old.id,
          })
          .returning({ id: apiKeys.id });
        // A grace period never extends a key: it ends at the key's expiry if that is sooner,
        // and graceUntil says so (`keys show` must not report a grace after the key stopped).
        const oldExpiry = old.expiresAt && old.expiresAt < graceUntil ? old.expiresAt : graceUntil;
        await tx
          .update(apiKeys)
          .set({ expiresAt: oldExpiry, graceUntil: oldExpiry })
          .where(eq(apiKeys.id, id));
        await this.#feed.notify(tx, { type: "api-key", id });
        return created?.id ?? -1;
      })
      .catch(rethrowWithoutParams);
    this.#feed.emitLocal({ type: "api-key", id });
    return { key: generated.key, record: await this.get(newId), previous: await this.get(id) };
  }

  /** Key, owner and permissions by hash, in one query; null when no key has this hash. */
  async lookupByHash(hash: string): Promise<KeyLookup | null> {
    const [row] = await this.#db
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        displayPrefix: apiKeys.displayPrefix,
        expiresAt: apiKeys.expiresAt,
        revokedAt: apiKeys.revokedAt,
        userId: users.id,
        username: users.username,
        email: users.email,
        isActive: users.isActive,
        isStaff: users.isStaff,
        isSuperuser: users.isSuperuser,
        permissions: permissionsOfUser(),
      })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.keyHash, hash))
      .limit(1)
      .catch(rethrowWithoutParams);
    if (!row) return null;
    const { userId, username, email, isActive, isStaff, isSuperuser, permissions, ...key } = row;
    return {
      ...key,
      user: { id: userId, username, email, isActive, isStaff, isSuperuser, permissions },
    };
  }

  /**
   * Adds usage to many keys in one statement. `request_count = request_count + n` is atomic
   * in PostgreSQL, so concurrent instances never lose each other's counts.
   */
  async addUsage(usage: readonly KeyUsage[]): Promise<void> {
    if (usage.length === 0) return;
    const values = sql.join(
      usage.map(
        (entry) =>
          sql`(${entry.id}::integer, ${entry.count}::bigint, ${entry.lastUsedAt.toISOString()}::timestamptz)`,
      ),
      sql`, `,
    );
    await this.#db.execute(sql`
      update ${apiKeys} set
        request_count = ${apiKeys.requestCount} + v.n,
        last_used_at = greatest(${apiKeys.lastUsedAt}, v.ts)
      from (values ${values}) as v(id, n, ts)
      where ${apiKeys.id} = v.id`);
  }

  async #select(where: SQL | undefined, limit?: number): Promise<ApiKeyRecord[]> {
    const query = this.#db
      .select(recordColumns)
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(where)
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
    const rows = limit === undefined ? await query : await query.limit(limit);
    const now = new Date();
    return rows.map((row) => ({ ...row, status: statusAt(row, now) }));
  }
}

/** Key hashes are query parameters here: rethrow the driver's error, not Drizzle's wrapper that lists them. */
function rethrowWithoutParams(error: unknown): never {
  throw unwrapQueryError(error);
}
