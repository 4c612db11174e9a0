// `grpc-cfg logs --follow` end to end: the built CLI against a real PostgreSQL, fed by a
// request-log sink in this process.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { openStore, silentLogger } from "@grpc-cfg/store";
import { afterAll, describe, expect, it } from "vitest";
import { logRecord } from "../../../../store/src/testdata/log-records.js";
import { createTestDatabase } from "../../../../../tests/support/postgres.js";

const BIN = fileURLToPath(new URL("../../../bin/grpc-cfg.js", import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), "gcfg-follow-"));
const postgres = await createTestDatabase("gcfg_cli_follow");

afterAll(async () => {
  await postgres?.drop();
  rmSync(workDir, { recursive: true, force: true });
});

const record = (requestId: string) =>
  logRecord({ requestId, service: "shop.v1.Orders", method: "Get", durationMs: 3 });

describe.skipIf(postgres === null)("grpc-cfg logs --follow (PostgreSQL)", () => {
  it("prints calls as they are logged and stops cleanly on SIGINT", async () => {
    const store = await openStore({ url: postgres!.url, logger: silentLogger });
    try {
      const sink = store.createRequestLogSink();
      sink.write(record("before-follow"));
      await sink.flush();
      const { DATABASE_URL: _unused, ...inherited } = process.env;
      const child = spawn(process.execPath, [BIN, "logs", "--follow", "--json"], {
        cwd: workDir,
        env: { ...inherited, DATABASE_URL: postgres!.url },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const next = async () =>
        JSON.parse(String((await lines.next()).value)) as { requestId: string };
      expect((await next()).requestId).toBe("before-follow");
      const written = Date.now();
      sink.write(record("while-following"));
      await sink.flush();
      expect((await next()).requestId).toBe("while-following");
      expect(Date.now() - written).toBeLessThan(3_000);
      child.kill("SIGINT");
      expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(0);
    } finally {
      await store.close();
    }
  });

  it("prints followed calls in the columns of the header it printed first", async () => {
    const store = await openStore({ url: postgres!.url, logger: silentLogger });
    let child: ChildProcess | undefined;
    try {
      const sink = store.createRequestLogSink();
      sink.write(record("before-table"));
      await sink.flush();
      const { DATABASE_URL: _unused, ...inherited } = process.env;
      const follower = spawn(process.execPath, [BIN, "logs", "--follow", "--limit", "1"], {
        cwd: workDir,
        env: { ...inherited, DATABASE_URL: postgres!.url },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = follower;
      const lines = createInterface({ input: follower.stdout })[Symbol.asyncIterator]();
      const next = async () => String((await lines.next()).value);
      const [header, rule] = [await next(), await next()];
      expect(header).toMatch(/^time +call +status +code +duration +user +key +error$/);
      // Where each column starts, from the rule under the header ("----  ------  …").
      const starts = [...rule.matchAll(/-+/g)].map((match) => match.index);
      // A row without an error ends at its key column: trailing blanks are trimmed.
      const cells = (line: string, row = line.padEnd(rule.length)) =>
        starts.map((start, i) => {
          const end = starts[i + 1];
          if (end !== undefined) expect(row.slice(end - 2, end), row).toBe("  ");
          return row.slice(start, end === undefined ? undefined : end - 2).trimEnd();
        });
      expect(cells(await next()).slice(1, 3)).toEqual(["shop.v1.Orders/Get", "success"]);
      const longService = "com.example.warehouse.inventory.v1.StockLevelService";
      sink.write(
        logRecord({
          service: "explore2.v1.GreeterService",
          method: "SayHello",
          status: "error",
          grpcCode: 3,
          durationMs: 7.4,
          errorMessage: "Nobody to greet",
        }),
      );
      sink.write(logRecord({ service: longService, method: "ListStockLevels", durationMs: 12 }));
      await sink.flush();
      expect(cells(await next()).slice(1)).toEqual([
        "explore2.v1.GreeterService/SayHello",
        "error",
        "3",
        "7.4ms",
        "-",
        "-",
        "Nobody to greet",
      ]);
      // Too long for its column: cut with "…" rather than pushing the others right.
      const [, call, status] = cells(await next());
      expect(call).toMatch(/…$/);
      expect(`${longService}/ListStockLevels`.startsWith(call?.slice(0, -1) ?? "?")).toBe(true);
      expect(status).toBe("success");
      const exited = new Promise((resolve) => follower.on("exit", resolve));
      follower.kill("SIGINT");
      expect(await exited).toBe(0);
    } finally {
      if (child?.exitCode === null) child.kill(); // A failed expectation must not leave it running.
      await store.close();
    }
  });
});
