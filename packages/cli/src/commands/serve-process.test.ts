// `grpc-cfg serve` as a process: the real CLI binary in the shop example, on a fresh embedded
// database, stopped by SIGTERM in the situations a deployment meets.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { spawnCli, type CliProcess } from "./testdata/cli-process.js";

const shopDir = fileURLToPath(new URL("../../../../examples/shop", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "grpc-cfg-serve-process-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function startServe(name: string, env: NodeJS.ProcessEnv = {}): CliProcess {
  return spawnCli(["serve", "--port", "0", "--no-monitor"], {
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
    // A timer the app left running, as a handler that ignores its cancellation would be.
    const serve = startServe("busy", {
      NODE_OPTIONS: "--import=data:text/javascript,setInterval(()=>{},1e6)",
    });
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
