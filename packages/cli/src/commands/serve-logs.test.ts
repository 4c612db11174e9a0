// `grpc-cfg serve`'s stderr as a log shipper reads it: JSON lines only, whatever wrote them
// (the server, the store in the background, the monitor), and SIGHUP stopping it as
// gracefully as SIGTERM. The real CLI binary in the shop example.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore, silentLogger } from "@grpc-cfg/store";
import { afterAll, describe, expect, it } from "vitest";
import { proxyPostgres } from "../../../store/src/testdata/tcp-proxy.js";
import { createTestDatabase } from "../../../../tests/support/postgres.js";
import { spawnCli, type CliProcess } from "./testdata/cli-process.js";
import { jsonLines } from "./testdata/json-lines.js";

const shopDir = fileURLToPath(new URL("../../../../examples/shop", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "grpc-cfg-serve-logs-"));
const database = await createTestDatabase("gcfg_cli_serve_logs");
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

function startServe(env: NodeJS.ProcessEnv, flags: string[] = []) {
  const serve = spawnCli(["serve", "--port", "0", ...flags], {
    cwd: shopDir,
    env: { DATABASE_URL: "", GRPC_CFG_LOG_LEVEL: "info", ...env },
  });
  let stderr = "";
  serve.child.stderr.on("data", (chunk: string) => (stderr += chunk));
  return { ...serve, stderr: () => stderr };
}

async function until(what: string, ready: () => boolean, serve: CliProcess): Promise<void> {
  for (let i = 0; i < 300 && !ready(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!ready()) throw new Error(`never saw ${what}; stdout:\n${serve.stdout()}`);
}

describe("grpc-cfg serve's log", () => {
  it("with NODE_ENV=production on the embedded database: warns, and stops gracefully on SIGHUP", async () => {
    const folder = join(dataDir, "hup");
    const serve = startServe({ NODE_ENV: "production", GRPC_CFG_DATA_DIR: folder }, [
      "--no-monitor",
    ]);
    try {
      await until("the banner", () => /listening on/.test(serve.stdout()), serve);
      serve.child.kill("SIGHUP");
      const run = await serve.done;
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("SIGHUP: shutting down gracefully");
      const lines = jsonLines(run.stderr);
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: "warn",
          msg: expect.stringContaining(
            `the request log and API keys live in the embedded database in ${folder}`,
          ),
        }),
      );
      expect(lines).toContainEqual(
        expect.objectContaining({ msg: "server stopped", reason: "SIGHUP" }),
      );
    } finally {
      serve.child.kill("SIGKILL");
    }
    const store = await openStore({ dataDir: folder, logger: silentLogger });
    try {
      expect((await store.instances.list()).map((instance) => instance.status)).toEqual([
        "stopped",
      ]);
    } finally {
      await store.close();
    }
  }, 60_000);

  it.skipIf(database === null)(
    "is JSON lines when the database goes away: the store's warnings and the monitor's failures",
    async () => {
      const setup = await openStore({ url: database!.url, logger: silentLogger });
      const ops = await setup.users.create({ username: "ops", isStaff: true });
      const key = (await setup.apiKeys.create({ user: ops.id, name: "dashboard" })).key;
      await setup.close();
      const { proxy, url } = await proxyPostgres(database!.url);
      const serve = startServe({ DATABASE_URL: url }, ["--monitor-port", "0"]);
      try {
        await until("the monitor", () => /monitor: +http/.test(serve.stdout()), serve);
        const monitorUrl = /monitor: +(http:\/\/\S+?)\/ /.exec(serve.stdout())![1]!;
        const get = (path: string) =>
          fetch(`${monitorUrl}${path}`, { headers: { "x-api-key": key } });
        expect((await get("/api/monitor/health")).status).toBe(200);

        await proxy.cut();
        expect((await get("/api/servers")).status).toBe(503);
        // The key's use is recorded in the background: that write fails and says so.
        await until("a store warning", () => /"component":"store"/.test(serve.stderr()), serve);
        serve.child.kill("SIGTERM");
        const run = await serve.done;
        expect(run.code).toBe(0);
        const lines = jsonLines(run.stderr);
        expect(lines).toContainEqual(
          expect.objectContaining({ level: "warn", component: "store" }),
        );
        const failure = lines.find((line) => line["msg"] === "monitor request failed");
        expect(failure).toMatchObject({
          level: "error",
          component: "monitor",
          method: "GET",
          path: "/api/servers",
        });
        // The driver's reason is in the cause chain; the query's parameters are not.
        expect(JSON.stringify(failure)).toMatch(
          /"cause":\{[^}]*"code":"(ECONNREFUSED|ECONNRESET|CONNECTION_\w+)"/,
        );
        expect(JSON.stringify(failure)).not.toContain("params:");
      } finally {
        serve.child.kill("SIGKILL");
        await proxy.close();
      }
    },
    60_000,
  );

  it.skipIf(database === null)(
    "under --workers, says which worker wrote a line; SIGHUP stops them all",
    async () => {
      const serve = startServe({ DATABASE_URL: database!.url }, ["--no-monitor", "--workers", "2"]);
      try {
        await until("the workers", () => /2 workers \(pids/.test(serve.stdout()), serve);
        serve.child.kill("SIGHUP");
        const run = await serve.done;
        expect(run.code).toBe(0);
        const stopped = jsonLines(run.stderr).filter((line) => line["msg"] === "server stopped");
        expect(stopped.map((line) => line["worker"]).sort()).toEqual([1, 2]);
      } finally {
        serve.child.kill("SIGKILL");
      }
    },
    60_000,
  );
});
