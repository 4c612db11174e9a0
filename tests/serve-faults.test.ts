// `grpc-cfg serve` when handler code fails outside any call: a promise rejection nobody
// handles is logged and survived; an exception thrown in a timer stops the server gracefully
// (calls drained, log rows flushed, instance `stopped`) and exits 1. Before, Node's default
// killed the process outright in both cases, losing every open call and the queued rows.
import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServableProject, repoRoot, type CliProject } from "./cli-support/cli-project.js";

const CLI_BIN = path.join(repoRoot, "packages/cli/bin/grpc-cfg.js");

const HANDLERS = `import type { DeepPartial, ServiceContext } from "@grpc-cfg/runtime";
import { GreeterServiceBase } from "../gen/demo/v1/greeter.grpc-cfg.js";
import type { SayHelloRequest, SayHelloResponse } from "../gen/demo/v1/greeter.js";

export class GreeterService extends GreeterServiceBase {
  async sayHello(request: SayHelloRequest, _ctx: ServiceContext): Promise<DeepPartial<SayHelloResponse>> {
    if (request.name === "stray-rejection") {
      // Started and forgotten: nobody awaits it.
      void Promise.reject(new Error("stray rejection from sayHello"));
    }
    if (request.name === "timer-throw") {
      setTimeout(() => {
        throw new Error("thrown in a timer after sayHello");
      }, 100);
    }
    return { message: \`hello \${request.name}\` };
  }
  async *streamGreetings() {}
}
`;

/** SayHelloRequest { name = 1 } and SayHelloResponse { message = 1 }, encoded by hand. */
function encodeName(name: string): Buffer {
  const bytes = Buffer.from(name);
  return Buffer.concat([Buffer.from([0x0a, bytes.length]), bytes]);
}
function decodeMessage(bytes: Buffer): string {
  return bytes.subarray(2, 2 + (bytes[1] ?? 0)).toString();
}

function sayHello(address: string, name: string): Promise<string> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      "/demo.v1.GreeterService/SayHello",
      (value: string) => encodeName(value),
      decodeMessage,
      name,
      new grpc.Metadata({}),
      {},
      (error, response) => {
        client.close();
        if (error) reject(error);
        else resolve(response as string);
      },
    );
  });
}

interface Serve {
  readonly child: ChildProcessWithoutNullStreams;
  readonly address: Promise<string>;
  readonly exit: Promise<number | null>;
  stderr(): string;
}

function startServe(project: CliProject, dataDir: string): Serve {
  const child = spawn(
    process.execPath,
    [CLI_BIN, "serve", "--host", "127.0.0.1", "--port", "0", "--no-monitor"],
    { cwd: project.dir, env: { ...process.env, DATABASE_URL: "", GRPC_CFG_DATA_DIR: dataDir } },
  );
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const address = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (127\.0\.0\.1:\d+)/.exec(stdout);
      if (match) resolve(match[1] as string);
    });
    child.on("exit", () => reject(new Error(`serve exited first:\n${stdout}\n${stderr}`)));
  });
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, address, exit, stderr: () => stderr };
}

/** The JSON lines of the server log with `msg`. */
function logged(stderr: string, msg: string): Record<string, unknown>[] {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry["msg"] === msg);
}

describe("grpc-cfg serve and faults outside any call", () => {
  let project: CliProject;
  beforeAll(async () => {
    project = await createServableProject();
    await project.write("src/greeter/grpc-services.ts", HANDLERS);
  }, 120_000);
  afterAll(() => project?.dispose());

  it("logs an unhandled rejection and keeps serving", async () => {
    const serve = startServe(project, path.join(project.dir, "data-rejection"));
    try {
      const address = await serve.address;
      expect(await sayHello(address, "stray-rejection")).toBe("hello stray-rejection");
      expect(await sayHello(address, "next")).toBe("hello next");
      for (let i = 0; i < 50 && serve.stderr().indexOf("unhandled promise") < 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const [entry] = logged(
        serve.stderr(),
        "unhandled promise rejection (the server keeps serving)",
      );
      expect(entry).toMatchObject({ level: "error" });
      expect((entry?.["error"] as { stack: string }).stack).toContain(
        "stray rejection from sayHello",
      );
      expect(await sayHello(address, "still here")).toBe("hello still here");
      serve.child.kill("SIGTERM");
      expect(await serve.exit).toBe(0);
    } finally {
      serve.child.kill("SIGKILL");
    }
  }, 90_000);

  it("stops gracefully and exits 1 on an exception thrown in a timer", async () => {
    const dataDir = path.join(project.dir, "data-throw");
    const serve = startServe(project, dataDir);
    try {
      const address = await serve.address;
      expect(await sayHello(address, "first")).toBe("hello first");
      expect(await sayHello(address, "timer-throw")).toBe("hello timer-throw");
      expect(await serve.exit).toBe(1);
      const stderr = serve.stderr();
      const [entry] = logged(stderr, "uncaught exception; stopping the server gracefully");
      expect((entry?.["error"] as { stack: string }).stack).toContain("thrown in a timer");
      expect(logged(stderr, "server stopped")).toHaveLength(1);
    } finally {
      serve.child.kill("SIGKILL");
    }
    const env = { DATABASE_URL: "", GRPC_CFG_DATA_DIR: dataDir };
    const status = await project.run(["status", "--all", "--json"], { env });
    expect(status.code, status.stderr).toBe(0);
    const { instances } = JSON.parse(status.stdout) as { instances: { status: string }[] };
    expect(instances.map((instance) => instance.status)).toEqual(["stopped"]);
    const logs = await project.run(["logs", "--json"], { env });
    expect(logs.code, logs.stderr).toBe(0);
    const rows = JSON.parse(logs.stdout) as { method: string; status: string }[];
    expect(rows.map((row) => `${row.method} ${row.status}`)).toEqual([
      "SayHello success",
      "SayHello success",
    ]);
  }, 90_000);
});
