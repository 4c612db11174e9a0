// `grpc-cfg serve` as a process: the real CLI binary in the shop example, on a fresh embedded
// database, stopped by SIGTERM in the situations a deployment meets.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../tests/support/postgres.js";
import { spawnCli, type CliProcess } from "./testdata/cli-process.js";

const shopDir = fileURLToPath(new URL("../../../../examples/shop", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "grpc-cfg-serve-process-"));
const database = await createTestDatabase("gcfg_cli_serve_process");
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

// A timer the app left running, as a handler that ignores its cancellation would be.
const HOLD_EVENT_LOOP = { NODE_OPTIONS: "--import=data:text/javascript,setInterval(()=>{},1e6)" };

function startServe(name: string, env: NodeJS.ProcessEnv = {}, flags: string[] = []): CliProcess {
  return spawnCli(["serve", "--port", "0", "--no-monitor", ...flags], {
    cwd: shopDir,
    env: { DATABASE_URL: "", GRPC_CFG_DATA_DIR: join(dataDir, name), ...env },
  });
}

async function untilListening(serve: CliProcess): Promise<void> {
  for (let i = 0; i < 300 && !/listening on/.test(serve.stdout()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(serve.stdout()).toMatch(/listening on/);
}

describe("grpc-cfg serve, stopped by SIGTERM", () => {
  it("exits even when something still holds the event loop", async () => {
    const serve = startServe("busy", HOLD_EVENT_LOOP);
    try {
      await untilListening(serve);
      const stopped = performance.now();
      serve.child.kill("SIGTERM");
      const run = await serve.done;
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("grpc-cfg: stopped");
      expect(performance.now() - stopped).toBeLessThan(10_000);
    } finally {
      serve.child.kill("SIGKILL");
    }
  }, 60_000);

  it.skipIf(database === null)(
    "with --workers, exits soon too: workers stopped by the primary let go",
    async () => {
      const serve = startServe("workers", { ...HOLD_EVENT_LOOP, DATABASE_URL: database!.url }, [
        "--workers",
        "2",
      ]);
      try {
        for (let i = 0; i < 300 && !/2 workers \(pids/.test(serve.stdout()); i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(serve.stdout()).toMatch(/2 workers \(pids/);
        const stopped = performance.now();
        serve.child.kill("SIGTERM");
        const run = await serve.done;
        expect(run.code).toBe(0);
        // Not the primary's 30 s stop timeout.
        expect(performance.now() - stopped).toBeLessThan(10_000);
      } finally {
        serve.child.kill("SIGKILL");
      }
    },
    60_000,
  );

  it("shuts down gracefully when its stdout has been closed", async () => {
    // `grpc-cfg serve | head -1`: the reader is gone by the time shutdown prints.
    const serve = startServe("piped");
    try {
      await untilListening(serve);
      serve.child.stdout.destroy();
      serve.child.kill("SIGTERM");
      const run = await serve.done;
      expect(run.stderr).not.toContain("EPIPE");
      expect(run.stderr).toContain('"msg":"server stopped"');
      expect(run.code).toBe(0);
    } finally {
      serve.child.kill("SIGKILL");
    }
  }, 60_000);
});
