import { randomBytes } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { StoreError, apiKeys, requestLogs, serverInstances, users } from "@grpc-cfg/store";
import type { RunningStack } from "../../serve/start-stack.js";

/** The user and key made for one run. */
export interface TempAccount {
  readonly userId: number;
  readonly username: string;
  readonly keyId: number;
  readonly displayPrefix: string;
  /** The key secret; only ever sent to the local server, never printed. */
  readonly key: string;
}

/** Everything a run created that cleanup must remove. Filled in as steps succeed. */
export interface CreatedResources {
  stack: RunningStack | null;
  account: TempAccount | null;
  /** Id of the dev secret key's user when this run created it (it did not exist before). */
  devUserId: number | null;
}

/** How long the temporary key lives: cleanup deletes it, expiry is the fallback if it cannot. */
const KEY_LIFETIME_MS = 60 * 60 * 1000;

/** Creates a plain (non-staff) user `grpc-cfg-it-<random>` with a key expiring in an hour. */
export async function createTempAccount(stack: RunningStack): Promise<TempAccount> {
  const username = `grpc-cfg-it-${randomBytes(4).toString("hex")}`;
  const user = await stack.store.users.create({ username });
  try {
    const created = await stack.store.apiKeys.create({
      user: user.id,
      name: `grpc-cfg test-integration ${new Date().toISOString()}`,
      expiresAt: new Date(Date.now() + KEY_LIFETIME_MS),
    });
    return {
      userId: user.id,
      username,
      keyId: created.record.id,
      displayPrefix: created.record.displayPrefix,
      key: created.key,
    };
  } catch (error) {
    await stack.store.db.delete(users).where(eq(users.id, user.id));
    throw error;
  }
}

/**
 * Undoes a run: revokes the key at once (so it is dead even if a later delete fails), stops
 * the server (draining calls and flushing its log rows), then deletes the log rows this
 * server wrote (by its instance id), the key, the temporary users and the instance row, and
 * closes the database. Returns the report line; throws listing what could not be removed.
 */
export async function cleanUp(created: CreatedResources): Promise<string> {
  const { stack, account } = created;
  if (!stack) return "nothing was created";
  const done: string[] = [];
  const problems: string[] = [];
  const attempt = async (what: string, work: () => Promise<string | null>) => {
    try {
      const line = await work();
      if (line) done.push(line);
    } catch (error) {
      problems.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const { db } = stack.store;
  const instanceId = stack.instance.id;
  await attempt("revoke key", async () => {
    if (!account) return null;
    await stack.store.apiKeys.revoke(account.keyId).catch((error: unknown) => {
      // Already revoked is fine.
      if (!(error instanceof StoreError && error.code === "failed-precondition")) throw error;
    });
    return null;
  });
  await attempt("stop server", async () => {
    await stack.server.shutdown("grpc-cfg test-integration finished");
    await stack.instance.markStopped();
    return "server stopped";
  });
  await attempt("delete log rows", async () => {
    const rows = await db
      .delete(requestLogs)
      .where(eq(requestLogs.serverInstanceId, instanceId))
      .returning({ id: requestLogs.id });
    return `${rows.length} log rows deleted`;
  });
  await attempt("delete key and users", async () => {
    const userIds = [account?.userId, created.devUserId ?? undefined].filter(
      (id): id is number => id !== undefined,
    );
    if (account) await db.delete(apiKeys).where(eq(apiKeys.id, account.keyId));
    if (userIds.length > 0) await db.delete(users).where(inArray(users.id, userIds));
    if (!account) return null;
    const dev = created.devUserId === null ? "" : ` and the dev secret key's user`;
    return `key ${account.keyId} and user ${account.username}${dev} deleted`;
  });
  await attempt("delete instance row", async () => {
    await db.delete(serverInstances).where(eq(serverInstances.id, instanceId));
    return "instance row deleted";
  });
  await attempt("close database", async () => {
    await stack.stop("grpc-cfg test-integration finished");
    return null;
  });
  created.stack = null;
  if (problems.length > 0) throw new Error(`could not clean up: ${problems.join("; ")}`);
  return done.join(", ");
}
