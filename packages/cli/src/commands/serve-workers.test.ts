// `grpc-cfg serve --workers N`, the real CLI binary in the shop example: when it cannot start
// it must say why and exit promptly instead of leaving processes behind; a worker killed
// while serving must not be listed as running.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, connect } from "node:net";
import type { Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore } from "@grpc-cfg/store";
import type { ServerInstanceRecord } from "@grpc-cfg/store";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../tests/support/postgres.js";
import { runCli, spawnCli } from "./testdata/cli-process.js";

const shopDir = fileURLToPath(new URL("../../../../examples/shop", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "grpc-cfg-serve-workers-"));
const serve = ["serve", "--workers", "2", "--port", "0", "--no-monitor"];

const database = await createTestDatabase("gcfg_cli_serve_workers");
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await database?.drop();
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` every 100 ms until `done` holds for its value; fails after `timeoutMs`. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

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

describe.skipIf(database === null)("grpc-cfg serve --workers on PostgreSQL", () => {
  it("marks a worker killed with -9 stopped at once, while its replacement registers", async () => {
    const server = spawnCli(serve, { cwd: shopDir, env: { DATABASE_URL: database!.url } });
    const store = await openStore({ url: database!.url, migrate: false, checkSchema: false });
    try {
      const started = await until(
        async () => /workers \(pids (\d+), (\d+)\)/.exec(server.stdout()),
        (match) => match !== null,
        60_000,
      );
      const [victim, survivor] = [Number(started![1]), Number(started![2])];
      const rows = () => store.instances.list();
      const byPid = (all: ServerInstanceRecord[], pid: number) => all.find((r) => r.pid === pid);
      await until(rows, (all) => byPid(all, victim)?.status === "running", 10_000);

      process.kill(victim, "SIGKILL");
      const killedAt = Date.now();
      const after = await until(
        rows,
        (all) => byPid(all, victim)?.status === "stopped",
        5_000, // A heartbeat would take 30 s to turn stale.
      );
      expect(Date.now() - killedAt).toBeLessThan(5_000);
      const dead = byPid(after, victim)!;
      // Not a clean stop: its last heartbeat is its last sign of life, before it was found dead.
      expect(dead.stoppedAt!.getTime()).toBeGreaterThan(dead.lastHeartbeatAt.getTime());
      expect(dead.exitedUncleanly).toBe(true);
      expect(byPid(after, survivor)?.status).toBe("running");
      const replaced = await until(
        rows,
        (all) => all.some((r) => r.status === "running" && ![victim, survivor].includes(r.pid)),
        30_000,
      );
      expect(replaced.filter((r) => r.status === "running")).toHaveLength(2);

      server.child.kill("SIGTERM");
      const run = await server.done;
      expect(run.code).toBe(0);
      const log = run.stderr
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(log).toContainEqual(
        expect.objectContaining({
          level: "info",
          msg: "dead worker's server instance marked stopped (not a clean stop)",
          instanceId: dead.id,
          pid: victim,
          signal: "SIGKILL",
        }),
      );
      // The others stopped cleanly, by themselves.
      const final = await rows();
      expect(final.map((r) => r.status)).toEqual(["stopped", "stopped", "stopped"]);
      expect(final.filter((r) => r.exitedUncleanly).map((r) => r.pid)).toEqual([victim]);
    } finally {
      server.child.kill("SIGKILL");
      await store.close();
    }
  }, 120_000);

  it("survives a dead worker while the database is down: a warning, the row turns stale", async () => {
    // The database is reached through a proxy this test can take away.
    const target = new URL(database!.url);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("error", () => {}).on("close", () => sockets.delete(socket));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxied = new URL(database!.url);
    proxied.host = `127.0.0.1:${(proxy.address() as { port: number }).port}`;
    const server = spawnCli(serve, { cwd: shopDir, env: { DATABASE_URL: proxied.toString() } });
    let stderr = "";
    server.child.stderr.on("data", (chunk: string) => (stderr += chunk));
    try {
      const started = await until(
        async () => /workers \(pids (\d+), (\d+)\)/.exec(server.stdout()),
        (match) => match !== null,
        60_000,
      );
      const victim = Number(started![1]);
      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      process.kill(victim, "SIGKILL");
      const warned = await until(
        async () => stderr,
        (text) => text.includes("could not mark the dead worker's server instance stopped"),
        15_000,
      );
      const line = warned.split("\n").find((l) => l.includes("could not mark the dead"))!;
      expect(JSON.parse(line)).toMatchObject({ level: "warn", pid: victim, signal: "SIGKILL" });
      expect(server.child.exitCode).toBeNull(); // The primary is still serving.
      const stopping = Date.now();
      server.child.kill("SIGTERM");
      await server.done;
      expect(Date.now() - stopping).toBeLessThan(20_000);
    } finally {
      server.child.kill("SIGKILL");
      proxy.close();
    }
  }, 120_000);
});
