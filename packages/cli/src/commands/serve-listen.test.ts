// `grpc-cfg serve` when it cannot listen: one line saying which address and why, and a hint
// naming the settings that move it. Before, a taken port printed "unexpected failure" with a
// grpc-js stack trace, after a grpc-js log line of its own.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../tests/support/postgres.js";
import { runCli } from "./testdata/cli-process.js";

const shopDir = fileURLToPath(new URL("../../../../examples/shop", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "grpc-cfg-serve-listen-"));
// The permission test runs the CLI as another user, who writes its database here too.
chmodSync(dataDir, 0o777);
const database = await createTestDatabase("gcfg_cli_serve_listen");
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});

/** A port some other process (this test) is listening on, on every interface. */
async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
  return { port: (server.address() as { port: number }).port, server };
}

function serve(flags: string[], env: NodeJS.ProcessEnv = {}, uid?: number) {
  return runCli(["serve", ...flags], {
    cwd: shopDir,
    env: { DATABASE_URL: "", GRPC_CFG_DATA_DIR: join(dataDir, String(Math.random())), ...env },
    ...(uid === undefined ? {} : { uid }),
  });
}

describe("grpc-cfg serve, when it cannot listen", () => {
  it("a taken gRPC port: one error line and a hint, exit 1", async () => {
    const { port, server } = await takenPort();
    try {
      const run = await serve(["--port", String(port), "--no-monitor"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `error: cannot listen on 0.0.0.0:${port}: address already in use\n` +
          "hint: another process is using the port: stop it, or choose another with --port, " +
          "PORT or server.port (0 picks a free one)\n",
      );
    } finally {
      server.close();
    }
  }, 60_000);

  it("a taken monitor port: the same, naming the monitor's settings", async () => {
    const { port, server } = await takenPort();
    try {
      const run = await serve(["--port", "0", "--monitor-port", String(port)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `error: cannot listen on 127.0.0.1:${port}: address already in use (monitor)\n` +
          "hint: another process is using the port: stop it, or choose another with " +
          "--monitor-port, MONITOR_PORT or monitor.port (0 picks a free one), or pass " +
          "--no-monitor\n",
      );
    } finally {
      server.close();
    }
  }, 60_000);

  it("a port this user may not take: permission denied, and what to do", async () => {
    // As root every port is allowed: run the CLI as nobody then.
    const nobody = process.getuid?.() === 0 ? 65534 : undefined;
    const run = await serve(
      ["--host", "127.0.0.1", "--port", "80", "--no-monitor"],
      // tsx's cache goes to the temp folder: this test's, removed with it.
      { HOME: dataDir, TMPDIR: dataDir },
      nobody,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot listen on 127\.0\.0\.1:80: permission denied\n/);
    expect(run.stderr).toContain("hint: this user may not listen on that port");
  }, 60_000);

  it.skipIf(database === null)(
    "with --workers, the primary finds the taken port before forking",
    async () => {
      const { port, server } = await takenPort();
      try {
        const run = await serve(["--port", String(port), "--no-monitor", "--workers", "2"], {
          DATABASE_URL: database!.url,
        });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(
          new RegExp(`^error: cannot listen on 0\\.0\\.0\\.0:${port}: address already in use\\n`),
        );
        expect(run.stderr).not.toContain("worker");
      } finally {
        server.close();
      }
    },
    60_000,
  );
});
