/**
 * The shop as `grpc-cfg serve` runs it (startStack) on embedded PGlite in a temp folder, every
 * method and error case through nice-grpc with the generated ts-proto code, then the request
 * log and key usage checked against every call made.
 */
import { describe } from "vitest";
import { useShopFixture } from "../support/shop-fixture.js";
import { defineCatalogServiceTests } from "./suites/catalog-service-suite.js";
import { defineChatAndAuthTests } from "./suites/chat-and-auth-suite.js";
import { defineOrderServiceTests } from "./suites/order-service-suite.js";
import { defineRequestLogTests } from "./suites/request-log-suite.js";
import { defineUserServiceTests } from "./suites/user-service-suite.js";

describe("shop over nice-grpc, PGlite", () => {
  const fx = useShopFixture(() => ({ kind: "pglite" }));
  defineUserServiceTests(fx);
  defineCatalogServiceTests(fx);
  defineOrderServiceTests(fx);
  defineChatAndAuthTests(fx);
  defineRequestLogTests(fx, 60);
});
