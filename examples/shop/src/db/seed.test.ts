import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { count, eq } from "drizzle-orm";
import { IN_MEMORY, openStore, silentLogger, users } from "@grpc-cfg/store";
import type { Store } from "@grpc-cfg/store";
import { categories, products, userProfiles } from "./schema.js";
import { SEED_CATEGORIES, SEED_PRODUCTS, SEED_USERS } from "./seed-data.js";
import { seedShop } from "./seed.js";

const MIGRATIONS = fileURLToPath(new URL("../../drizzle", import.meta.url));
let store: Store;

beforeAll(async () => {
  store = await openStore({
    dataDir: IN_MEMORY,
    migrationsFolders: [MIGRATIONS],
    logger: silentLogger,
  });
});

afterAll(async () => {
  await store?.close();
});

async function rows(table: typeof categories | typeof products | typeof userProfiles) {
  const [row] = await store.db.select({ n: count() }).from(table);
  return row?.n ?? 0;
}

describe("shop migrations", () => {
  it("apply after the store's, tracked in their own table", async () => {
    const status = await store.migrationStatus();
    const shop = status.find((entry) => entry.folder === MIGRATIONS);
    expect(shop).toMatchObject({ applied: 1, total: 1 });
    expect(shop?.table).not.toBe(status[0]?.table);
  });
});

describe("seedShop", () => {
  it("inserts the demo data once and changes nothing when run again", async () => {
    const first = await seedShop(store.db);
    expect(first).toEqual({
      categories: SEED_CATEGORIES.length,
      products: SEED_PRODUCTS.length,
      users: SEED_USERS.length,
    });
    const second = await seedShop(store.db);
    expect(second).toEqual({ categories: 0, products: 0, users: 0 });
    expect(await rows(categories)).toBe(SEED_CATEGORIES.length);
    expect(await rows(products)).toBe(SEED_PRODUCTS.length);
    expect(await rows(userProfiles)).toBe(SEED_USERS.length);
  });

  it("keeps users' own changes on a re-run", async () => {
    const bob = await store.users.get("bob");
    await store.db
      .update(userProfiles)
      .set({ bio: "edited" })
      .where(eq(userProfiles.userId, bob.id));
    await seedShop(store.db);
    const [profile] = await store.db
      .select({ bio: userProfiles.bio })
      .from(userProfiles)
      .where(eq(userProfiles.userId, bob.id));
    expect(profile?.bio).toBe("edited");
  });

  it("makes alice staff and the others customers", async () => {
    const flags = await store.db
      .select({ username: users.username, isStaff: users.isStaff })
      .from(users)
      .orderBy(users.username);
    expect(flags).toEqual([
      { username: "alice", isStaff: true },
      { username: "bob", isStaff: false },
      { username: "carol", isStaff: false },
    ]);
  });
});
