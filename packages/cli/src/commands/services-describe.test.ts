// End-to-end tests of `grpc-cfg services | describe`: the real CLI binary (built dist) against
// a real nice-grpc server with reflection, on 127.0.0.1 and a free port.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ECHO_SERVICE, startEchoServer } from "../../../client/src/testdata/echo-server.js";
import type { EchoServer } from "../../../client/src/testdata/echo-server.js";
import { runCli as run } from "./testdata/cli-process.js";

let server: EchoServer;

beforeAll(async () => {
  server = await startEchoServer({ reflection: "v1alpha" });
});

afterAll(async () => {
  await server.close();
});

describe("grpc-cfg services / describe", () => {
  it("services --long lists methods with call kinds", async () => {
    const result = await run(["services", server.address, "--long"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toEqual([
      ECHO_SERVICE,
      "  Echo   unary",
      "  Count  server stream",
      "  Sum    client stream",
      "  Chat   bidi stream",
      "  Fail   unary",
      "  Sleep  unary",
      "",
    ]);
  });

  it("services takes the address from GRPC_CFG_ADDRESS", async () => {
    const result = await run(["services"], { env: { GRPC_CFG_ADDRESS: server.address } });
    expect(result).toMatchObject({ code: 0, stdout: `${ECHO_SERVICE}\n` });
  });

  it("describe prints a service as proto-like text", async () => {
    const result = await run(["describe", ECHO_SERVICE, "--addr", server.address]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("service EchoService {");
    expect(result.stdout).toContain(
      "rpc Sum(stream grpccfg.testing.v1.SumRequest) returns (grpccfg.testing.v1.SumResponse);",
    );
  });

  it("describe --json prints the structured description of a message", async () => {
    const result = await run([
      "describe",
      "grpccfg.testing.v1.Note",
      "--addr",
      server.address,
      "--json",
    ]);
    expect(result.code).toBe(0);
    const described = JSON.parse(result.stdout) as { kind: string; fields: { name: string }[] };
    expect(described.kind).toBe("message");
    expect(described.fields.map((f) => f.name)).toContain("big_number");
  });

  it("describe of an unknown symbol exits 1 and suggests a close one", async () => {
    const result = await run(["describe", "grpccfg.testing.v1.Nte", "--addr", server.address]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Did you mean: grpccfg.testing.v1.Note?");
  });
});
