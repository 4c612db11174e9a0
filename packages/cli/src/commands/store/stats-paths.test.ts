// `grpc-cfg stats` naming calls to odd paths: the real binary on a PGlite folder holding rows
// as the runtime logs them (a path that is not /service/method is kept whole as the service).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, silentLogger } from "@grpc-cfg/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../testdata/cli-process.js";

let workDir = "";
let dataDir = "";

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), "gcfg-stats-paths-"));
  dataDir = join(workDir, "data");
  const store = await openStore({ dataDir, logger: silentLogger });
  const sink = store.createRequestLogSink();
  const now = Date.now();
  const calls = [
    { path: "/", service: "/", method: "" },
    { path: "/nope", service: "/nope", method: "" },
    { path: "/shop.v1.Orders/", service: "/shop.v1.Orders/", method: "" },
    { path: "/shop.v1.Orders/Get", service: "shop.v1.Orders", method: "Get" },
  ];
  for (const [i, call] of calls.entries()) {
    sink.write({
      ...call,
      requestId: `r${i}`,
      callKind: call.method === "" ? "unknown" : "unary",
      status: call.method === "" ? "error" : "success",
      grpcCode: call.method === "" ? 12 : 0,
      errorMessage:
        call.method === "" ? `The server does not implement the method ${call.path}` : null,
      errorDetails: null,
      userId: null,
      apiKeyId: null,
      authenticated: false,
      authMethod: null,
      clientAddress: "127.0.0.1",
      requestMessages: 0,
      responseMessages: 0,
      durationMs: 1,
      startedAt: new Date(now - 1000),
      completedAt: new Date(now),
    });
  }
  await store.close();
}, 120_000);

afterAll(() => {
  if (workDir !== "") rmSync(workDir, { recursive: true, force: true });
});

describe("grpc-cfg stats, calls to paths that are not /service/method", () => {
  it("shows the path as it was sent, not joined with an empty method", async () => {
    const run = await runCli(["stats", "--hours", "1"], {
      cwd: workDir,
      env: { DATABASE_URL: "", GRPC_CFG_DATA_DIR: dataDir, NODE_ENV: "test" },
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const names = run.stdout
      .split("\n")
      .slice(run.stdout.split("\n").findIndex((line) => line.startsWith("service/method")) + 1)
      .map((line) => line.split(/\s+/)[0])
      .filter((name) => name !== undefined && name !== "" && !/^-+$/.test(name));
    expect(names.sort()).toEqual(["/", "/nope", "/shop.v1.Orders/", "shop.v1.Orders/Get"]);
    expect(run.stdout).not.toMatch(/^\/\/\s/m);
  }, 120_000);
});
