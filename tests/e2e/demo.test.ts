/**
 * `npm start` (scripts/demo.mjs) as a user meets it: run with a temp data folder and the
 * ports given through PORT / MONITOR_PORT, the two commands it prints are run exactly as
 * printed (through `sh -c`, from the repository root), then Ctrl+C (SIGINT) must stop it
 * cleanly with the calls' request-log rows flushed to the database.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore, silentLogger } from "@grpc-cfg/store";
import { freePort, runProcess, startProcess } from "../support/processes.js";
import type { BackgroundProcess } from "../support/processes.js";
import { REPO_ROOT, SHOP_ROOT } from "../support/shop-stack.js";

const READY = /Ctrl\+C stops the server/;

describe("npm start (scripts/demo.mjs)", () => {
  let demo: BackgroundProcess | null = null;
  let dataDir: string | null = null;
  afterAll(async () => {
    demo?.signal("SIGKILL");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(
    "prints working commands for the ports it was given and stops cleanly on SIGINT",
    { timeout: 240_000 },
    async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), "grpc-cfg-e2e-demo-"));
      const port = await freePort();
      const monitorPort = await freePort();
      demo = startProcess(process.execPath, ["scripts/demo.mjs"], {
        cwd: REPO_ROOT,
        env: {
          GRPC_CFG_DATA_DIR: dataDir,
          PORT: String(port),
          MONITOR_PORT: String(monitorPort),
          DATABASE_URL: undefined,
          HOST: undefined,
        },
      });
      await demo.waitFor(READY, 180_000);
      const printed = demo.stdout;

      // It prints a staff key, so it listens on loopback only, not on every interface.
      expect(printed).toContain(`listening on 127.0.0.1:${port} `);
      expect(printed).toContain(`gRPC:       127.0.0.1:${port} `);
      expect(printed).toContain(`Dashboard:  http://127.0.0.1:${monitorPort}/`);
      const commands = printed
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.startsWith("npx "));
      expect(commands).toHaveLength(2);
      for (const command of commands) expect(command).toContain(`127.0.0.1:${port}`);

      const [search, getUser] = await Promise.all(
        commands.map((command) => runProcess("sh", ["-c", command], { cwd: REPO_ROOT })),
      );
      expect(search?.exitCode, search?.stderr).toBe(0);
      const products = search!.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { product: { name: string } });
      expect(products.map((item) => item.product.name)).toContain("Mechanical Keyboard");
      expect(getUser?.exitCode, getUser?.stderr).toBe(0);
      expect(JSON.parse(getUser!.stdout)).toMatchObject({ user: { id: "1", username: "alice" } });

      const dashboard = await fetch(`http://127.0.0.1:${monitorPort}/`);
      expect(dashboard.status).toBe(200);

      demo.signal("SIGINT");
      expect(await demo.exited(), demo.stderr).toBe(0);
      expect(demo.stdout).toMatch(/SIGINT: stopping…\s+stopped\s*$/);

      // Graceful stop flushed the log: both calls are stored, attributed to the demo user's key.
      const store = await openStore({
        dataDir,
        migrate: false,
        migrationsFolders: [path.join(SHOP_ROOT, "drizzle")],
        logger: silentLogger,
      });
      try {
        const { items } = await store.requestLogs.list({ limit: 50 });
        const calls = items.filter((row) => row.service.startsWith("shop.v1."));
        expect(calls.map((row) => `${row.method} ${row.username} ${row.status}`).sort()).toEqual([
          "GetUser demo success",
          "SearchProducts demo success",
        ]);
        expect(calls.every((row) => row.apiKeyId !== null)).toBe(true);
      } finally {
        await store.close();
      }
    },
  );
});
