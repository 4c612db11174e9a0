import { ClientError, Status } from "nice-grpc-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../index.js";
import type { TestServer } from "../testdata/support/harness.js";
import { startTestServer } from "../testdata/support/harness.js";
import type { TestDatabase } from "../testdata/support/pglite-provider.js";
import { createTestDatabase } from "../testdata/support/pglite-provider.js";

describe("read-only enforcement with a real database (PGlite)", () => {
  let t: TestServer;
  let db: TestDatabase;
  const used = { db: 0, readOnly: 0 };
  beforeAll(async () => {
    db = await createTestDatabase();
    // Counts which handle handlers touch, to show which one each method was given.
    const spy = (handle: Database, key: keyof typeof used): Database =>
      new Proxy(handle, {
        get(target, property, receiver) {
          used[key]++;
          return Reflect.get(target, property, receiver) as unknown;
        },
      });
    t = await startTestServer({
      database: { db: spy(db.db, "db"), readOnly: spy(db.readOnly, "readOnly") },
    });
  });
  afterAll(async () => {
    await t.close();
    await db.close();
  });

  it("a write from a ReadOnlyService fails with a clear FAILED_PRECONDITION and writes nothing", async () => {
    const error = await t.catalog.writeRow({ name: "from-catalog" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe(Status.FAILED_PRECONDITION);
    expect((error as ClientError).details).toBe(
      "ReadOnlyService testsvc.v1.CatalogService cannot write to the database",
    );
    const rows = await db.client.query(
      "SELECT count(*)::int AS n FROM items WHERE name = 'from-catalog'",
    );
    expect(rows.rows).toEqual([{ n: 0 }]);
  });

  it("the same write from a BaseService succeeds", async () => {
    const response = await t.test.writeRow({ name: "from-base" });
    expect(response.id).toBeGreaterThan(0);
    const rows = await db.client.query("SELECT name FROM items WHERE id = $1", [response.id]);
    expect(rows.rows).toEqual([{ name: "from-base" }]);
  });

  it("reads work through the read-only handle", async () => {
    const before = await t.catalog.countRows({});
    await t.test.writeRow({ name: "another" });
    const after = await t.catalog.countRows({});
    expect(after.count).toBe(before.count + 1);
  });

  it("a read-only method of a BaseService gets the read-only handle", async () => {
    used.db = 0;
    used.readOnly = 0;
    const response = await t.test.countRows({});
    expect(response.count).toBeGreaterThan(0);
    expect(used.readOnly).toBeGreaterThan(0);
    expect(used.db).toBe(0);
    await t.test.writeRow({ name: "via-db-handle" });
    expect(used.db).toBeGreaterThan(0);
  });
});

describe("without a database", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ database: null });
  });
  afterAll(() => t.close());

  it("ctx.db access fails with INTERNAL to the client and a clear message in the server log", async () => {
    t.logLines.length = 0;
    const error = await t.test.fail({ kind: "noDb" }).catch((e: unknown) => e);
    expect((error as ClientError).code).toBe(Status.INTERNAL);
    expect(t.logLines.join("\n")).toContain("No database is configured: ctx.db is unavailable");
  });
});
