import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createClient } from "nice-grpc";
import { ClientError, Status } from "nice-grpc-common";
import {
  HealthCheckResponse_ServingStatus,
  HealthDefinition,
} from "nice-grpc-server-health/lib/proto/grpc/health/v1/health.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../testdata/support/harness.js";
import { startTestServer } from "../testdata/support/harness.js";

const run = promisify(execFile);
const BUF = join(dirname(fileURLToPath(import.meta.url)), "../../../../node_modules/.bin/buf");

function bufCurl(port: number, ...args: string[]) {
  const url = args.pop() ?? "";
  return run(BUF, [
    "curl",
    "--protocol",
    "grpc",
    "--http2-prior-knowledge",
    ...args,
    `http://127.0.0.1:${port}${url}`,
  ]);
}

describe("reflection and health (real buf curl)", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  it("buf curl --list-services lists the served services (reflection v1)", async () => {
    const { stdout } = await bufCurl(
      t.port,
      "--list-services",
      "--reflect-protocol",
      "grpc-v1",
      "",
    );
    expect(stdout.trim().split("\n").sort()).toEqual([
      "grpc.health.v1.Health",
      "testsvc.v1.AccountService",
      "testsvc.v1.CatalogService",
      "testsvc.v1.TestService",
    ]);
  });

  it("reflection v1alpha answers too", async () => {
    const { stdout } = await bufCurl(
      t.port,
      "--list-services",
      "--reflect-protocol",
      "grpc-v1alpha",
      "",
    );
    expect(stdout).toContain("testsvc.v1.TestService");
  });

  it("buf curl calls a method through reflection, JSON in and out", async () => {
    const { stdout } = await bufCurl(
      t.port,
      "-d",
      '{"message":"via buf"}',
      "/testsvc.v1.TestService/Echo",
    );
    expect(JSON.parse(stdout)).toMatchObject({ message: "via buf" });
  });

  it("health is listed by reflection, so buf curl can call it by name", async () => {
    const { stdout } = await bufCurl(t.port, "-d", "{}", "/grpc.health.v1.Health/Check");
    expect(JSON.parse(stdout)).toEqual({ status: "SERVING" });
  });

  it("health answers SERVING for the server and each service, NOT_FOUND for unknown ones", async () => {
    const health = createClient(HealthDefinition, t.channel);
    expect((await health.check({ service: "" })).status).toBe(
      HealthCheckResponse_ServingStatus.SERVING,
    );
    const each = await health.check({ service: "testsvc.v1.CatalogService" });
    expect(each.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    const unknown = await health.check({ service: "nope.Service" }).catch((e: unknown) => e);
    expect((unknown as ClientError).code).toBe(Status.NOT_FOUND);
  });

  it("per-service status can be changed", async () => {
    const health = createClient(HealthDefinition, t.channel);
    t.server.health.setServing("testsvc.v1.AccountService", false);
    const status = await health.check({ service: "testsvc.v1.AccountService" });
    expect(status.status).toBe(HealthCheckResponse_ServingStatus.NOT_SERVING);
    t.server.health.setServing("testsvc.v1.AccountService", true);
  });

  it("describes what it serves", () => {
    const description = t.server.describe();
    const test = description.services.find((s) => s.fullName === "testsvc.v1.TestService");
    expect(test?.methods).toHaveLength(13);
    expect(test?.methods.find((m) => m.name === "Chat")?.callKind).toBe("bidi");
    expect(test?.methods.find((m) => m.name === "StaffCall")?.auth).toBe("staff");
    expect(description.standardServices).toContain("grpc.reflection.v1alpha.ServerReflection");
  });
});
