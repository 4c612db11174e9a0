import { createClient } from "nice-grpc";
import {
  HealthCheckResponse_ServingStatus,
  HealthDefinition,
} from "nice-grpc-server-health/lib/proto/grpc/health/v1/health.js";
import { describe, expect, it } from "vitest";
import { startTestServer } from "../testdata/support/harness.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Written out rather than imported: the test pins the names probes actually send.
const STANDARD = [
  "grpc.health.v1.Health",
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
];

describe("health of the standard services", () => {
  it("answers SERVING for health and reflection while serving, NOT_SERVING on shutdown", async () => {
    const t = await startTestServer();
    const health = createClient(HealthDefinition, t.channel);
    for (const service of STANDARD) {
      const response = await health.check({ service });
      expect(response.status, service).toBe(HealthCheckResponse_ServingStatus.SERVING);
    }

    const watched: number[] = [];
    const watching = (async () => {
      const updates = health.watch({ service: "grpc.reflection.v1.ServerReflection" });
      for await (const update of updates) watched.push(update.status);
    })();
    for (let i = 0; i < 100 && watched.length === 0; i++) await sleep(20);
    expect(watched).toEqual([HealthCheckResponse_ServingStatus.SERVING]);

    await t.server.shutdown("test");
    await watching.catch(() => undefined);
    expect(watched).toContain(HealthCheckResponse_ServingStatus.NOT_SERVING);
    for (const service of STANDARD) expect(t.server.health.status(service)).toBe("unhealthy");
    t.channel.close();
  });
});
