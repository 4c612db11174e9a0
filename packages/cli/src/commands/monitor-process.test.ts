// The standalone `grpc-cfg monitor` as a process, as `serve` is run: SIGHUP stops it
// gracefully, and its stderr is JSON lines a log shipper can read. The real CLI binary in the
// shop example.
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
const dataDir = mkdtempSync(join(tmpdir(), "grpc-cfg-monitor-process-"));
const database = await createTestDatabase("gcfg_cli_monitor_process");
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

function startMonitor(env: NodeJS.ProcessEnv) {
  const monitor = spawnCli(["monitor", "--port", "0"], {
    cwd: shopDir,
    env: { DATABASE_URL: "", GRPC_CFG_LOG_LEVEL: "info", ...env },
  });
  let stderr = "";
  monitor.child.stderr.on("data", (chunk: string) => (stderr += chunk));
  return { ...monitor, stderr: () => stderr };
}

async function untilUrl(monitor: CliProcess): Promise<string> {
  const pattern = /grpc-cfg monitor: (http:\/\/\S+)/;
  for (let i = 0; i < 300 && !pattern.test(monitor.stdout()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const match = pattern.exec(monitor.stdout());
  if (!match) throw new Error(`the monitor never started; stdout:\n${monitor.stdout()}`);
  return match[1]!.replace(/\/$/, "");
}

describe("grpc-cfg monitor as a process", () => {
  it("stops gracefully on SIGHUP, exiting 0 as for SIGTERM", async () => {
    const monitor = startMonitor({ GRPC_CFG_DATA_DIR: join(dataDir, "hup") });
    try {
      const url = await untilUrl(monitor);
      // Answered (401: no key), so the monitor is serving when the signal comes.
      expect((await fetch(`${url}/api/monitor/health`)).status).toBe(401);
      monitor.child.kill("SIGHUP");
      const run = await monitor.done;
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("SIGHUP: shutting down gracefully");
      expect(run.stdout).toContain("grpc-cfg monitor: stopped");
      jsonLines(run.stderr);
    } finally {
      monitor.child.kill("SIGKILL");
    }
  }, 60_000);

  it.skipIf(database === null)(
    "logs JSON lines when the database goes away: the store's warnings and its own failures",
    async () => {
      const setup = await openStore({ url: database!.url, logger: silentLogger });
      const ops = await setup.users.create({ username: "ops", isStaff: true });
      const key = (await setup.apiKeys.create({ user: ops.id, name: "dashboard" })).key;
      await setup.close();
      const { proxy, url } = await proxyPostgres(database!.url);
      const monitor = startMonitor({ DATABASE_URL: url });
      try {
        const monitorUrl = await untilUrl(monitor);
        const get = (path: string) =>
          fetch(`${monitorUrl}${path}`, { headers: { "x-api-key": key } });
        expect((await get("/api/servers")).status).toBe(200);
        // A change made through the API is audited in the same JSON log.
        const created = await fetch(`${monitorUrl}/api/api-keys`, {
          method: "POST",
          headers: { "x-api-key": key, "content-type": "application/json" },
          body: JSON.stringify({ name: "audited" }),
        });
        expect(created.status).toBe(201);
        const { secret } = (await created.json()) as { secret: string };

        await proxy.cut();
        expect((await get("/api/servers")).status).toBe(503);
        // The key's use is recorded in the background: that write fails and says so.
        const logged = () =>
          /monitor request failed/.test(monitor.stderr()) &&
          /"component":"store"/.test(monitor.stderr());
        for (let i = 0; i < 100 && !logged(); i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        monitor.child.kill("SIGTERM");
        const run = await monitor.done;
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
        expect(JSON.stringify(failure)).not.toContain("params:");
        expect(lines).toContainEqual(
          expect.objectContaining({
            level: "info",
            component: "monitor",
            msg: "monitor change",
            method: "POST",
            path: "/api/api-keys",
            status: 201,
            user: expect.objectContaining({ username: "ops" }),
          }),
        );
        expect(run.stderr).not.toContain(secret);
        expect(run.stderr).not.toContain(key);
      } finally {
        monitor.child.kill("SIGKILL");
        await proxy.close();
      }
    },
    60_000,
  );
});
