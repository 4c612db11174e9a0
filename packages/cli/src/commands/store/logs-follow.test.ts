// `grpc-cfg logs --follow` end to end: the built CLI against a real PostgreSQL, fed by a
// request-log sink in this process.
import { spawn } from "node:child_process";
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
});
