/**
 * `grpc-cfg serve --workers 2` on PostgreSQL, the real CLI in the shop example: whichever
 * worker takes a `/metrics` scrape answers for both, so the totals a scraper reads are the
 * calls made, scrape after scrape, instead of jumping between the two workers' own counts.
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
  it("every scrape counts the calls of both workers", async () => {
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
      const handled = async (): Promise<{ total: number; startTimes: number }> => {
        const response = await fetch(`http://127.0.0.1:${monitorPort}/metrics`, {
          headers: { "x-api-key": key },
        });
        const text = await response.text();
        let total = 0;
        for (const line of text.split("\n")) {
          if (
            line.startsWith(
              'grpc_server_handled_total{grpc_type="unary",grpc_service="shop.v1.ProductCatalogService"',
            )
          )
            total += Number(line.slice(line.lastIndexOf(" ") + 1));
        }
        const startTimes = text
          .split("\n")
          .filter((l) => l.startsWith("process_start_time_seconds ")).length;
        return { total, startTimes };
      };
      // Scrapes also land on both workers in turn; each must see every call, once.
      for (let i = 0; i < 6; i++) expect(await handled()).toEqual({ total: calls, startTimes: 1 });
    } finally {
      serve.kill("SIGTERM");
      await new Promise((resolve) => serve.once("exit", resolve));
    }
  }, 90_000);
});
