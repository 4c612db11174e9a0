// `grpc-cfg serve --workers N` when it cannot start: the real CLI binary in the shop example,
// which must say why and exit promptly instead of leaving processes behind.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./testdata/cli-process.js";

const shopDir = fileURLToPath(new URL("../../../../examples/shop", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "grpc-cfg-serve-workers-"));
const serve = ["serve", "--workers", "2", "--port", "0", "--no-monitor"];

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("grpc-cfg serve --workers", () => {
  it("refuses the embedded database before starting anything (exit 2)", async () => {
    const started = performance.now();
    const run = await runCli(serve, {
      cwd: shopDir,
      env: { DATABASE_URL: "", GRPC_CFG_DATA_DIR: join(dataDir, "data") },
    });
    expect(run.stderr).toContain(
      "error: --workers > 1 needs PostgreSQL: the embedded database is one process's",
    );
    expect(run.code).toBe(2);
    // No worker opened the embedded database: its folder was never created.
    expect(readdirSync(dataDir)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 30_000);

  it("exits 1 soon after a worker fails to start, with the worker's reason", async () => {
    const started = performance.now();
    const run = await runCli(serve, {
      cwd: shopDir,
      env: { DATABASE_URL: "postgres://nobody:secret@127.0.0.1:1/none" },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: worker \d+ failed to start: cannot connect to PostgreSQL/m);
    expect(run.stderr).not.toContain("unexpected failure");
    expect(run.stderr).not.toContain("secret");
    // The primary used to wait out its 30 s stop timeout for a worker that never exited.
    expect(performance.now() - started).toBeLessThan(15_000);
  }, 45_000);
});
