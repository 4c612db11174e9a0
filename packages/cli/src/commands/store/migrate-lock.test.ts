// `grpc-cfg migrate` while another session holds the migration lock: the built CLI against a
// real PostgreSQL. It says whom it waits for, and SIGTERM ends the wait with a clear exit.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../../tests/support/postgres.js";

const BIN = fileURLToPath(new URL("../../../bin/grpc-cfg.js", import.meta.url));
const workDir = mkdtempSync(join(tmpdir(), "gcfg-migrate-lock-"));
const database = await createTestDatabase("gcfg_cli_migrate_lock");
/** The store's migration lock key (packages/store/src/connection/migration-lock.ts). */
const LOCK_KEY = "4707131000001";

afterAll(async () => {
  await database?.drop();
  rmSync(workDir, { recursive: true, force: true });
});

function startMigrate(args: string[] = ["migrate"]) {
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: workDir,
    env: { ...inherited, DATABASE_URL: database!.url, NODE_ENV: "test" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const waiting = new Promise<void>((resolve) =>
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (stderr.includes("waiting for the migration lock")) resolve();
    }),
  );
  const done = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, waiting, done, output: () => ({ stdout, stderr }) };
}

describe.skipIf(database === null)("grpc-cfg migrate behind another's lock (PostgreSQL)", () => {
  it("names the holder, finishes once it is released, and SIGTERM ends the wait (migrate, serve)", async () => {
    const holder = postgres(database!.url, {
      max: 1,
      onnotice: () => {},
      connection: { application_name: "ci-job-migrating" },
    });
    try {
      const [row] = await holder<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await holder`select pg_advisory_lock(${LOCK_KEY}::bigint)`;

      const first = startMigrate();
      await first.waiting;
      expect(first.output().stderr).toContain(
        `waiting for the migration lock held by pid ${row!.pid} (application_name "ci-job-migrating"`,
      );
      await holder`select pg_advisory_unlock(${LOCK_KEY}::bigint)`;
      expect(await first.done).toBe(0);
      expect(first.output().stdout).toMatch(/applied now/);

      await holder`select pg_advisory_lock(${LOCK_KEY}::bigint)`;
      const second = startMigrate();
      await second.waiting;
      const signalled = Date.now();
      second.child.kill("SIGTERM");
      expect(await second.done).toBe(143);
      expect(Date.now() - signalled).toBeLessThan(2_000);
      expect(second.output().stderr).toContain(
        "SIGTERM: stopped waiting for the migration lock; nothing was migrated",
      );

      // serve migrates on start: a stop signal ends its wait too, instead of being held back.
      const serve = startMigrate(["serve", "--port", "0", "--no-monitor"]);
      await serve.waiting;
      const stopped = Date.now();
      serve.child.kill("SIGTERM");
      expect(await serve.done).toBe(143);
      expect(Date.now() - stopped).toBeLessThan(2_000);
      expect(serve.output().stderr).toContain(
        "SIGTERM: stopped waiting for the migration lock; not started",
      );
    } finally {
      await holder.end({ timeout: 1 });
    }
  }, 60_000);
});
