import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Database } from "@grpc-cfg/runtime";
import { CHANGE_CHANNEL, users } from "@grpc-cfg/store";
import { userProfiles } from "../db/schema.js";
import type { User } from "../gen/shop/v1/users.js";
import type { NewUserInput, ProfileInput } from "./user-validation.js";

/** A user row joined with its (possibly absent) profile, as the API shows it. */
const userColumns = {
  id: users.id,
  username: users.username,
  email: users.email,
  isActive: users.isActive,
  isStaff: users.isStaff,
  isSuperuser: users.isSuperuser,
  createdAt: users.createdAt,
  firstName: userProfiles.firstName,
  lastName: userProfiles.lastName,
  bio: userProfiles.bio,
};

/** One user as stored, with the flags the handlers decide on. */
export interface StoredUser {
  readonly message: User;
  readonly isStaff: boolean;
  readonly isSuperuser: boolean;
}

type Row = {
  id: number;
  username: string;
  email: string | null;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  createdAt: Date;
  firstName: string | null;
  lastName: string | null;
  bio: string | null;
};

function toStoredUser(row: Row): StoredUser {
  return {
    isStaff: row.isStaff,
    isSuperuser: row.isSuperuser,
    message: {
      id: row.id,
      username: row.username,
      email: row.email ?? "",
      isActive: row.isActive,
      firstName: row.firstName ?? "",
      lastName: row.lastName ?? "",
      bio: row.bio ?? "",
      createdAt: row.createdAt,
    },
  };
}

async function selectUsers(db: Database, where: SQL | undefined, limit: number): Promise<Row[]> {
  return db
    .select(userColumns)
    .from(users)
    .leftJoin(userProfiles, eq(userProfiles.userId, users.id))
    .where(where)
    .orderBy(asc(users.id))
    .limit(limit);
}

/** The user with `id` and their profile, or null. */
export async function findUser(db: Database, id: number): Promise<StoredUser | null> {
  const [row] = await selectUsers(db, eq(users.id, id), 1);
  return row ? toStoredUser(row) : null;
}

/**
 * Users in id order, one page at a time (keyset pagination), so a long listing never holds
 * the whole table in memory and each query stays short.
 */
export async function* iterateUsers(
  db: Database,
  options: { readonly includeInactive: boolean; readonly pageSize?: number },
): AsyncGenerator<User> {
  const pageSize = options.pageSize ?? 200;
  let after = 0;
  for (;;) {
    const active = options.includeInactive ? undefined : eq(users.isActive, true);
    const page = await selectUsers(db, and(gt(users.id, after), active), pageSize);
    for (const row of page) yield toStoredUser(row).message;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    after = last.id;
  }
}

/** Creates or replaces the profile of `userId`; returns the user afterwards. */
export async function saveProfile(
  db: Database,
  userId: number,
  profile: Required<ProfileInput>,
): Promise<StoredUser | null> {
  await db
    .insert(userProfiles)
    .values({ userId, ...profile })
    .onConflictDoUpdate({
      target: userProfiles.userId,
      set: { ...profile, updatedAt: sql`now()` },
    });
  return findUser(db, userId);
}

/**
 * Deletes a user; their profile, orders and API keys go with them (foreign keys cascade).
 * Tells every server instance to drop the user from its auth cache (the store's change
 * channel; NOTIFY inside the transaction fires on commit). Returns false when no such user.
 */
export async function deleteUser(db: Database, userId: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const deleted = await tx.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
    if (deleted.length === 0) return false;
    const event = JSON.stringify({ type: "user", id: userId });
    await tx.execute(sql`select pg_notify(${CHANGE_CHANNEL}, ${event})`);
    return true;
  });
}

/** Usernames among `usernames` that are already taken. */
export async function takenUsernames(
  db: Pick<Database, "select">,
  usernames: readonly string[],
): Promise<string[]> {
  if (usernames.length === 0) return [];
  const rows = await db
    .select({ username: users.username })
    .from(users)
    .where(inArray(users.username, [...usernames]))
    .orderBy(asc(users.username));
  return rows.map((row) => row.username);
}

/**
 * Inserts users and their profiles in one transaction. `onTaken` is called (and must throw)
 * when a username already exists, so nothing is created. Concurrent creations of the same
 * name still fail on the unique index; callers map that error too.
 */
export async function createUsers(
  db: Database,
  inputs: readonly NewUserInput[],
  onTaken: (usernames: string[]) => never,
): Promise<number> {
  if (inputs.length === 0) return 0;
  return db.transaction(async (tx) => {
    const taken = await takenUsernames(
      tx,
      inputs.map((input) => input.username),
    );
    if (taken.length > 0) onTaken(taken);
    const created = await tx
      .insert(users)
      .values(inputs.map((input) => ({ username: input.username, email: input.email || null })))
      .returning({ id: users.id, username: users.username });
    const byName = new Map(inputs.map((input) => [input.username, input]));
    await tx.insert(userProfiles).values(
      created.map((row) => {
        const input = byName.get(row.username);
        return {
          userId: row.id,
          firstName: input?.firstName ?? "",
          lastName: input?.lastName ?? "",
          bio: input?.bio ?? "",
        };
      }),
    );
    return created.length;
  });
}
