import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { sqlState } from "../errors.js";
import { users, type Store } from "../index.js";
import { testBackends, uniqueName } from "../testdata/backends.js";

const backends = await testBackends();

for (const backend of backends) {
  describe.skipIf(backend.skip !== null)(`read-only handle on ${backend.name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await backend.open();
    });

    it("reads what the read-write handle wrote", async () => {
      const created = await store.users.create({ username: uniqueName("ro") });
      const rows = await store.provider.readOnly
        .select()
        .from(users)
        .where(sql`${users.id} = ${created.id}`);
      expect(rows.map((row) => row.username)).toEqual([created.username]);
    });

    it("refuses writes with SQLSTATE 25006, statement by statement and in transactions", async () => {
      const { readOnly } = store.provider;
      const attempts = [
        () => readOnly.insert(users).values({ username: uniqueName("nope") }),
        () => readOnly.update(users).set({ isStaff: true }),
        () => readOnly.execute(sql`create table should_not_exist (id int)`),
        () =>
          readOnly.transaction(async (tx) =>
            tx.insert(users).values({ username: uniqueName("nope") }),
          ),
      ];
      for (const attempt of attempts) {
        const error: unknown = await attempt().then(
          () => null,
          (caught: unknown) => caught,
        );
        expect(sqlState(error)).toBe("25006");
      }
      // The read-write handle is unaffected afterwards (PGlite shares one connection).
      const created = await store.users.create({ username: uniqueName("rw") });
      expect(created.id).toBeGreaterThan(0);
      expect(await store.users.find(created.username)).not.toBeNull();
    });
  });
}
