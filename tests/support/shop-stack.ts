/**
 * The shop example served exactly as `grpc-cfg serve` serves it — `startStack`: config →
 * store (migrated) → manifest + discovery → API-key auth → request log sink → gRPC server →
 * instance registration — on 127.0.0.1:0 with the monitor off, on embedded PGlite in a fresh
 * temp folder or on a PostgreSQL database. Seeded with the shop's demo data, plus a key for
 * each seeded user and a superuser made here. Nothing is mocked.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startStack } from "@grpc-cfg/cli";
import type { RunningStack } from "@grpc-cfg/cli";
import { createSilentLogger } from "@grpc-cfg/runtime";
import type { Store } from "@grpc-cfg/store";
import { seedShop } from "../../examples/shop/src/db/seed.js";

/** Absolute path of the repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Absolute path of examples/shop. */
export const SHOP_ROOT = path.join(REPO_ROOT, "examples/shop");

/** A user with one API key of theirs. */
export interface Account {
  readonly id: number;
  readonly username: string;
  /** The key secret, sent as `x-api-key`. */
  readonly key: string;
  readonly keyId: number;
}

/** Where the shop keeps its data in a test. */
export type ShopDatabase =
  { readonly kind: "pglite" } | { readonly kind: "postgres"; readonly url: string };

/** A running shop and handles to drive and inspect it. */
export interface ShopStack {
  readonly stack: RunningStack;
  readonly store: Store;
  readonly backend: ShopDatabase["kind"];
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** Seeded staff user. */
  readonly alice: Account;
  /** Seeded customers. */
  readonly bob: Account;
  readonly carol: Account;
  /** A superuser made for the tests. */
  readonly admin: Account;
  /** Creates a user (optionally staff) with a key. */
  createAccount(username: string, flags?: { isStaff?: boolean }): Promise<Account>;
  /** Stops the stack gracefully (drain, flush logs, close the database) and removes temp files. */
  stop(): Promise<void>;
}

/** Starts the shop on `database` as described in this module's header. */
export async function startShopStack(database: ShopDatabase): Promise<ShopStack> {
  const dataDir =
    database.kind === "pglite" ? await mkdtemp(path.join(os.tmpdir(), "grpc-cfg-e2e-shop-")) : null;
  let stack: RunningStack | null = null;
  try {
    stack = await startStack({
      cwd: SHOP_ROOT,
      logger: createSilentLogger(),
      overrides: {
        server: { host: "127.0.0.1", port: 0 },
        monitor: { enabled: false },
        // Short flush interval so log rows can be checked within the test's patience.
        logging: { flushIntervalMs: 100 },
        database: database.kind === "postgres" ? { url: database.url } : { dataDir: dataDir! },
      },
    });
    const running = stack;
    const store = running.store;
    await seedShop(store.db);
    await store.users.create({ username: "admin", isStaff: true, isSuperuser: true });
    const account = async (username: string): Promise<Account> => {
      const user = await store.users.get(username);
      const { key, record } = await store.apiKeys.create({
        user: user.id,
        name: `e2e ${username}`,
      });
      return { id: user.id, username, key, keyId: record.id };
    };
    return {
      stack: running,
      store,
      backend: database.kind,
      address: `127.0.0.1:${running.address.port}`,
      alice: await account("alice"),
      bob: await account("bob"),
      carol: await account("carol"),
      admin: await account("admin"),
      async createAccount(username, flags = {}) {
        await store.users.create({ username, isStaff: flags.isStaff ?? false });
        return account(username);
      },
      async stop() {
        await running.stop("tests done");
        if (dataDir) await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stack?.stop("start-up failed").catch(() => {});
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
