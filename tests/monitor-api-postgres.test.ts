import { afterAll, beforeAll, describe } from "vitest";
import { defineAccessApiTests } from "../packages/monitor/src/testdata/access-api-suite.js";
import { defineApiKeysApiTests } from "../packages/monitor/src/testdata/api-keys-api-suite.js";
import { defineMonitorApiTests } from "../packages/monitor/src/testdata/monitor-api-suite.js";
import {
  createMonitorFixture,
  type MonitorFixture,
} from "../packages/monitor/src/testdata/monitor-fixture.js";
import { createTestDatabase } from "./support/postgres.js";

// The PGlite run of the same suites is packages/monitor/src/monitor-api.test.ts.
const database = await createTestDatabase("gcfg_monitor");

describe.skipIf(database === null)("monitor REST API over PostgreSQL", () => {
  let fixture: MonitorFixture | undefined;
  const fx = () => {
    if (!fixture) throw new Error("fixture not set up");
    return fixture;
  };
  beforeAll(async () => {
    fixture = await createMonitorFixture({ url: database!.url });
  });
  afterAll(async () => {
    await fixture?.close();
    await database?.drop();
  });

  defineMonitorApiTests(fx);
  defineAccessApiTests(fx);
  defineApiKeysApiTests(fx);
});
