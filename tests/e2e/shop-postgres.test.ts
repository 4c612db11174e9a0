/**
 * The same full matrix as shop-pglite.test.ts on PostgreSQL: a fresh database from
 * tests/support/postgres.ts (skipped with a printed reason when no server can be found or
 * started, a failure under CI).
 */
import { afterAll, describe } from "vitest";
import { createTestDatabase } from "../support/postgres.js";
import { useShopFixture } from "../support/shop-fixture.js";
import { defineCatalogServiceTests } from "./suites/catalog-service-suite.js";
import { defineChatAndAuthTests } from "./suites/chat-and-auth-suite.js";
import { defineOrderServiceTests } from "./suites/order-service-suite.js";
import { defineRequestLogTests } from "./suites/request-log-suite.js";
import { defineUserServiceTests } from "./suites/user-service-suite.js";

const database = await createTestDatabase("gcfg_e2e_shop");
afterAll(async () => {
  await database?.drop();
});

describe.skipIf(database === null)("shop over nice-grpc, PostgreSQL", () => {
  const fx = useShopFixture(() => ({ kind: "postgres", url: database!.url }));
  defineUserServiceTests(fx);
  defineCatalogServiceTests(fx);
  defineOrderServiceTests(fx);
  defineChatAndAuthTests(fx);
  defineRequestLogTests(fx, 60);
});
