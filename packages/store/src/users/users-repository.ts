import type { Database, User } from "@grpc-cfg/runtime";
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { ChangeFeed } from "../change-feed.js";
import { sqlState, StoreError } from "../errors.js";
import { userPermissions, users } from "../schema/users.js";
import { checkCodenames, checkEmail, checkUsername } from "./user-validation.js";

/** A user row with its permission codenames (sorted). */
export interface UserRecord {
  readonly id: number;
  readonly username: string;
  readonly email: string | null;
  readonly isActive: boolean;
  readonly isStaff: boolean;
  readonly isSuperuser: boolean;
  readonly createdAt: Date;
  readonly permissions: readonly string[];
}

/** What `users.create` needs. Flags default to false (`isActive` to true). */
export interface CreateUserInput {
  readonly username: string;
  readonly email?: string | null;
  readonly isActive?: boolean;
  readonly isStaff?: boolean;
  readonly isSuperuser?: boolean;
}

/** The transaction handle `Database.transaction` passes to its callback. */
type UserTransaction = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** What `users.update` may change; fields left out stay as they are. */
export interface UpdateUserInput {
  /** A new address, or null to clear it. */
  readonly email?: string | null;
  readonly isStaff?: boolean;
  readonly isSuperuser?: boolean;
}

/**
 * Names a user: a number is an id; a string is a username — or, when no user has that
 * username and it is all digits, an id (so the CLI can take either).
 */
export type UserRef = number | string;

/** Converts a record to the runtime's {@link User} (permissions as a set). */
export function toRuntimeUser(record: Omit<UserRecord, "createdAt">): User {
  return {
    id: record.id,
    username: record.username,
    email: record.email,
    isActive: record.isActive,
    isStaff: record.isStaff,
    isSuperuser: record.isSuperuser,
    permissions: new Set(record.permissions),
  };
}

const MAX_USER_ID = 2_147_483_647;

/** The row `input` inserts: flags default to false, `isActive` to true. */
function newUserRow(input: CreateUserInput) {
  return {
    username: input.username,
    email: input.email ?? null,
    isActive: input.isActive ?? true,
    isStaff: input.isStaff ?? false,
    isSuperuser: input.isSuperuser ?? false,
  };
}

/** Users and their permissions. Changes notify every instance so auth caches drop the user. */
export class UsersRepository {
  readonly #db: Database;
  readonly #feed: ChangeFeed;

  constructor(db: Database, feed: ChangeFeed) {
    this.#db = db;
    this.#feed = feed;
  }

  /**
   * Creates a user; `already-exists` if the username is taken. Notifies every instance, so a
   * JWT naming the user, refused a moment ago as unknown, is accepted at once.
   */
  async create(input: CreateUserInput): Promise<UserRecord> {
    checkUsername(input.username);
    if (input.email) checkEmail(input.email);
    try {
      return await this.#notifying(async (tx) => {
        const [row] = await tx.insert(users).values(newUserRow(input)).returning({ id: users.id });
        return row?.id ?? -1;
      });
    } catch (error) {
      if (sqlState(error) === "23505") {
        throw new StoreError("already-exists", `user "${input.username}" already exists`);
      }
      throw error;
    }
  }

  /**
   * Returns the user named `username`, creating it with `input`'s flags if missing (race-safe).
   * An existing row is returned as it is: its flags are never changed here, so a user who was
   * deactivated or demoted stays so.
   */
  async ensure(input: CreateUserInput): Promise<UserRecord> {
    checkUsername(input.username);
    await this.#db
      .insert(users)
      .values(newUserRow(input))
      .onConflictDoNothing({ target: users.username });
    return this.get(input.username);
  }

  /** The user, or null. */
  async find(ref: UserRef): Promise<UserRecord | null> {
    if (typeof ref === "number") {
      // users.id is a PostgreSQL integer: a larger number names no user, and must not reach
      // the query (out of range is an error there, not an empty result).
      if (!Number.isInteger(ref) || ref < 1 || ref > MAX_USER_ID) return null;
      return (await this.#select(eq(users.id, ref)))[0] ?? null;
    }
    const byName = (await this.#select(eq(users.username, ref)))[0];
    if (byName || !/^\d{1,9}$/.test(ref)) return byName ?? null;
    return (await this.#select(eq(users.id, Number(ref))))[0] ?? null;
  }

  /** The user; throws `not-found` naming the ref. */
  async get(ref: UserRef): Promise<UserRecord> {
    const found = await this.find(ref);
    if (!found)
      throw new StoreError(
        "not-found",
        `no user ${typeof ref === "number" ? `with id ${ref}` : `"${ref}"`}`,
      );
    return found;
  }

  /** All users by username; inactive ones only when asked. */
  async list(options: { includeInactive?: boolean } = {}): Promise<UserRecord[]> {
    return this.#select(options.includeInactive ? undefined : eq(users.isActive, true));
  }

  /** Adds permissions (already-held ones are ignored). */
  async grant(ref: UserRef, codenames: readonly string[]): Promise<UserRecord> {
    checkCodenames(codenames);
    return this.#change(ref, (tx, userId) =>
      tx
        .insert(userPermissions)
        .values([...new Set(codenames)].map((codename) => ({ userId, codename })))
        .onConflictDoNothing(),
    );
  }

  /** Removes permissions (missing ones are ignored). */
  async revoke(ref: UserRef, codenames: readonly string[]): Promise<UserRecord> {
    checkCodenames(codenames);
    return this.#change(ref, (tx, userId) =>
      tx
        .delete(userPermissions)
        .where(
          and(
            eq(userPermissions.userId, userId),
            inArray(userPermissions.codename, [...codenames]),
          ),
        ),
    );
  }

  /**
   * Changes a user's email or staff/superuser flags. Like every change to a user it reaches
   * the auth caches of every instance, so taking a flag away takes effect there too.
   */
  async update(ref: UserRef, changes: UpdateUserInput): Promise<UserRecord> {
    if (typeof changes.email === "string") checkEmail(changes.email);
    const set = Object.fromEntries(
      Object.entries(changes).filter(([, value]) => value !== undefined),
    ) as UpdateUserInput;
    if (Object.keys(set).length === 0) {
      throw new StoreError("invalid-argument", "nothing to change: give an email or a flag");
    }
    return this.#change(ref, (tx, userId) => tx.update(users).set(set).where(eq(users.id, userId)));
  }

  /** Activates or deactivates a user; an inactive user's keys stop working at once. */
  async setActive(ref: UserRef, active: boolean): Promise<UserRecord> {
    return this.#change(ref, (tx, userId) =>
      tx.update(users).set({ isActive: active }).where(eq(users.id, userId)),
    );
  }

  /** Runs `write` for the existing user `ref` through {@link #notifying}. */
  async #change(
    ref: UserRef,
    write: (tx: UserTransaction, userId: number) => PromiseLike<unknown>,
  ): Promise<UserRecord> {
    const { id } = await this.get(ref);
    return this.#notifying(async (tx) => {
      await write(tx, id);
      return id;
    });
  }

  /**
   * Runs `write` (which returns the id of the user it wrote) in a transaction that also
   * notifies every instance (their auth caches drop the user), tells this process's
   * listeners, and returns the user as it now is.
   */
  async #notifying(write: (tx: UserTransaction) => Promise<number>): Promise<UserRecord> {
    const id = await this.#db.transaction(async (tx) => {
      const written = await write(tx);
      await this.#feed.notify(tx, { type: "user", id: written });
      return written;
    });
    this.#feed.emitLocal({ type: "user", id });
    return this.get(id);
  }

  async #select(where: SQL | undefined): Promise<UserRecord[]> {
    const rows = await this.#db
      .select({
        id: users.id,
        username: users.username,
        email: users.email,
        isActive: users.isActive,
        isStaff: users.isStaff,
        isSuperuser: users.isSuperuser,
        createdAt: users.createdAt,
        permissions: permissionsOfUser(),
      })
      .from(users)
      .where(where)
      .orderBy(asc(users.username));
    return rows;
  }
}

/**
 * SQL expression: the sorted permission codenames of the current `users` row (never null).
 * Written with explicit qualifiers: Drizzle drops table names in single-table selects, which
 * would make `id` resolve to the subquery's own table.
 */
export function permissionsOfUser(): SQL<string[]> {
  return sql<
    string[]
  >`coalesce((select array_agg(up.codename order by up.codename) from user_permissions up where up.user_id = "users"."id"), '{}'::text[])`;
}
