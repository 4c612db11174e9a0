/**
 * `grpc-cfg serve --workers 2` on PostgreSQL, the real CLI in the shop example: whichever
 * worker takes a `/metrics` scrape answers for both, each worker's series under its slot, so
 * a scraper reads the calls made, scrape after scrape, instead of one worker's counts at a
 * time; and a worker that dies and is replaced restarts only its own slot's series.
 */
import { spawn } from "node:child_process";
import { createChannel, createClient } from "nice-grpc";
import { afterAll, describe, expect, it } from "vitest";
import { ProductCatalogServiceDefinition } from "../../examples/shop/src/gen/shop/v1/catalog.js";
import { runCli } from "../cli-support/cli-project.js";
import { createTestDatabase } from "../support/postgres.js";
import { freePort } from "../support/processes.js";
import { SHOP_ROOT } from "../support/shop-stack.js";

const database = await createTestDatabase("gcfg_e2e_workers_metrics");
afterAll(async () => {
  await database?.drop();
});

const CLI = new URL("../../packages/cli/bin/grpc-cfg.js", import.meta.url).pathname;

describe.skipIf(database === null)("serve --workers 2: /metrics", () => {
  it("every scrape counts both workers' calls, each under its slot", async () => {
    const env = { DATABASE_URL: database!.url };
    expect((await runCli(["migrate"], SHOP_ROOT, { env })).code).toBe(0);
    expect((await runCli(["users", "create", "ops", "--staff"], SHOP_ROOT, { env })).code).toBe(0);
    const created = await runCli(
      ["keys", "create", "--user", "ops", "--name", "scrape", "--json"],
      SHOP_ROOT,
      { env },
    );
    const { key } = JSON.parse(created.stdout) as { key: string };
    const [port, monitorPort] = [await freePort(), await freePort()];
    const serve = spawn(
      process.execPath,
      [
        CLI,
        "serve",
        "--workers",
        "2",
        "--host",
        "127.0.0.1",
        "--port",
        String(port),
        "--monitor-port",
        String(monitorPort),
      ],
      { cwd: SHOP_ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    serve.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    serve.stderr.resume();
    try {
      for (let i = 0; i < 100 && !/2 workers \(pids/.test(stdout); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const pids = /pids (\d+), (\d+)/.exec(stdout);
      expect(pids, stdout).not.toBeNull();

      // Fresh connections, so the primary spreads the calls over both workers.
      const calls = 12;
      for (let i = 0; i < calls; i++) {
        const channel = createChannel(`127.0.0.1:${port}`);
        await createClient(ProductCatalogServiceDefinition, channel)
          .getProduct({ productId: 1 })
          .catch(() => undefined);
        channel.close();
      }
      /** Per worker slot: calls handled, its process start time, and its restarts. */
      const scrape = async () => {
        const response = await fetch(`http://127.0.0.1:${monitorPort}/metrics`, {
          headers: { "x-api-key": key },
        });
        expect(response.status).toBe(200);
        const workers: Record<string, { calls: number; started: number; restarts: number }> = {};
        const prefix = 'grpc_server_handled_total{worker="';
        const slot = (line: string) => /^\w+\{worker="(\d+)"/.exec(line)?.[1] ?? "?";
        const value = (line: string) => Number(line.slice(line.lastIndexOf(" ") + 1));
        const of = (line: string) =>
          (workers[slot(line)] ??= { calls: 0, started: 0, restarts: 0 });
        for (const line of (await response.text()).split("\n")) {
          if (line.startsWith(prefix) && line.includes("shop.v1.ProductCatalogService"))
            of(line).calls += value(line);
          else if (line.startsWith("process_start_time_seconds{")) of(line).started = value(line);
          else if (line.startsWith("grpc_cfg_worker_restarts_total{"))
            of(line).restarts = value(line);
        }
        return workers;
      };
      // Scrapes also land on both workers in turn; each must see every call, once, with each
      // worker's figures under its own slot.
      const first = await scrape();
      expect(Object.keys(first).sort()).toEqual(["1", "2"]);
      expect((first["1"]?.calls ?? 0) + (first["2"]?.calls ?? 0)).toBe(calls);
      for (let i = 0; i < 5; i++) expect(await scrape()).toEqual(first);

      // Slot 1's process dies and is replaced: its series start again from zero (a counter
      // reset, as for any restarted process) and its restart count says why; slot 2's go on.
      process.kill(Number(pids![1]), "SIGKILL");
      let after = first;
      for (let i = 0; i < 100 && after["1"]?.restarts !== 1; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        after = await scrape().catch(() => after);
      }
      expect(after["1"]).toMatchObject({ calls: 0, restarts: 1 });
      expect(after["1"]!.started).toBeGreaterThan(first["1"]!.started);
      expect(after["2"]).toEqual(first["2"]);
    } finally {
      serve.kill("SIGTERM");
      await new Promise((resolve) => serve.once("exit", resolve));
    }
  }, 90_000);
});
