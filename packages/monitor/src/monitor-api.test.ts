import { IN_MEMORY } from "@grpc-cfg/store";
import { afterAll, beforeAll, describe } from "vitest";
import { defineAccessApiTests } from "./testdata/access-api-suite.js";
import { defineApiKeysApiTests } from "./testdata/api-keys-api-suite.js";
import { defineMonitorApiTests } from "./testdata/monitor-api-suite.js";
import { createMonitorFixture, type MonitorFixture } from "./testdata/monitor-fixture.js";

// The same suites run against PostgreSQL in tests/monitor-api-postgres.test.ts.
describe("monitor REST API over PGlite", () => {
  let fixture: MonitorFixture | undefined;
  const fx = () => {
    if (!fixture) throw new Error("fixture not set up");
    return fixture;
  };
  beforeAll(async () => {
    fixture = await createMonitorFixture({ dataDir: IN_MEMORY });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  defineMonitorApiTests(fx);
  defineAccessApiTests(fx);
  defineApiKeysApiTests(fx);
});
