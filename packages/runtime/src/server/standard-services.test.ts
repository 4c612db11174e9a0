import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createFileRegistry, fromBinary, toJson } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import * as grpc from "@grpc/grpc-js";
import { createClient } from "nice-grpc";
import { ClientError, Status } from "nice-grpc-common";
import {
  HealthCheckResponse_ServingStatus,
  HealthDefinition,
} from "nice-grpc-server-health/lib/proto/grpc/health/v1/health.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../testdata/support/harness.js";
import { KEYS, startTestServer } from "../testdata/support/harness.js";
import { reflect } from "./reflection/testdata/reflection-client.js";

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

/** One `file` entry of a FileDescriptorSet holding `file`. */
function setEntry(file: Uint8Array): Uint8Array {
  return new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(file).finish();
}

/** Calls TestService/Fail with a real grpc-js client; resolves to its details trailer. */
function failingCallTrailer(port: number, kind: string): Promise<Buffer> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set("x-api-key", KEYS.plain);
  // FailRequest { kind = 1 }
  const request = new BinaryWriter().tag(1, WireType.LengthDelimited).string(kind).finish();
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      "/testsvc.v1.TestService/Fail",
      (bytes: Uint8Array) => Buffer.from(bytes),
      (bytes: Buffer) => bytes,
      request,
      metadata,
      (error) => {
        client.close();
        const trailer = error?.metadata.get("grpc-status-details-bin")[0];
        if (Buffer.isBuffer(trailer)) resolve(trailer);
        else reject(new Error(`no details trailer: ${String(error)}`));
      },
    );
  });
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

  it("error details decode with only what reflection serves (google.rpc files included)", async () => {
    // What grpcurl does with the grpc-status-details-bin trailer: resolve google.rpc.Status
    // and each detail's type by reflection, then print JSON. (buf curl cannot: it resolves
    // detail types only from the types compiled into buf, and prints base64 whatever the
    // server serves.)
    const trailer = await failingCallTrailer(t.port, "invalidArgument");
    const answers = await reflect(t.port, [
      { case: "fileContainingSymbol", value: "google.rpc.Status" },
      { case: "fileContainingSymbol", value: "google.rpc.BadRequest" },
    ]);
    const files = answers.flatMap((a) =>
      a.response.messageResponse.case === "fileDescriptorResponse"
        ? a.response.messageResponse.value.fileDescriptorProto
        : [],
    );
    // Reflection sends a file before its imports; a registry wants imports first.
    const set = Buffer.concat(files.reverse().map((f) => setEntry(f)));
    const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, set));
    const status = registry.getMessage("google.rpc.Status");
    if (!status) throw new Error("reflection did not serve google.rpc.Status");
    expect(toJson(status, fromBinary(status, trailer), { registry })).toEqual({
      code: 3,
      message: "Invalid argument",
      details: [
        {
          "@type": "type.googleapis.com/google.rpc.BadRequest",
          fieldViolations: [
            { field: "email", description: "must contain @" },
            { field: "address.zip", description: "5 digits" },
          ],
        },
      ],
    });
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
