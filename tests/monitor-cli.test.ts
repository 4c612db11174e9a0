import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore, silentLogger } from "@grpc-cfg/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../packages/cli/bin/grpc-cfg.js", import.meta.url));

/** Runs the CLI in `cwd`; resolves when it prints its URL (or exits). */
function startCli(args: string[], cwd: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", () => {
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout);
      if (match) resolve(match[0]);
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  // Tests that expect an early exit never await the URL.
  url.catch(() => undefined);
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

describe("grpc-cfg monitor (CLI)", () => {
  let dir: string;
  let adminKey: string;
  let running: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "gcfg-monitor-cli-"));
    // Seed an admin key first: an embedded PGlite folder has one process at a time.
    const store = await openStore({ dataDir: join(dir, "data"), logger: silentLogger });
    const admin = await store.users.create({ username: "ops", isStaff: true });
    adminKey = (await store.apiKeys.create({ user: admin.id, name: "ops-console" })).key;
    await store.close();
  });

  afterAll(async () => {
    running?.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("serves the API and dashboard on the configured database and stops on SIGTERM", async () => {
    const cli = startCli(["monitor", "--port", "0"], dir, { GRPC_CFG_DATA_DIR: join(dir, "data") });
    running = cli.child;
    const url = await cli.url;
    expect((await fetch(`${url}/api/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/api/monitor/overview`)).status).toBe(401);
    const keys = await fetch(`${url}/api/api-keys`, { headers: { "x-api-key": adminKey } });
    expect(keys.status).toBe(200);
    expect(((await keys.json()) as { items: { name: string }[] }).items.map((k) => k.name)).toEqual(
      ["ops-console"],
    );
    expect((await fetch(`${url}/`)).headers.get("content-type")).toContain("text/html");
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(cli.output().stderr).toContain("no service list");
  });

  it("refuses a bad port with exit status 2 and a hint", async () => {
    const cli = startCli(["monitor", "--port", "70000"], dir, {
      GRPC_CFG_DATA_DIR: join(dir, "data"),
    });
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toContain("--port must be an integer from 0 to 65535");
    expect(cli.output().stderr).toContain("hint:");
  });
});
