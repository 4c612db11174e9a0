// Runs the real binary (node packages/cli/bin/grpc-cfg.js, built with `npx tsc -b packages/cli`)
// against a temporary PGlite folder; one folder for the whole file, commands in order.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openStore, serverInstances, silentLogger, storeMigrationsFolder } from "@grpc-cfg/store";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../../../bin/grpc-cfg.js", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let workDir = "";
let dataDir = "";

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: workDir,
        env: { ...inherited, GRPC_CFG_DATA_DIR: dataDir, NODE_ENV: "test", ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function json<T>(args: string[]): Promise<T> {
  const run = await cli([...args, "--json"]);
  expect(run.stderr, run.stderr).toBe("");
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as T;
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "gcfg-cli-"));
  dataDir = join(workDir, "data");
});

afterAll(() => {
  if (workDir !== "") rmSync(workDir, { recursive: true, force: true });
});

// PGlite starts in ~1-2 CPU-s per command; generous timeouts keep a loaded CI machine green.
describe("grpc-cfg data commands (PGlite)", { timeout: 180_000 }, () => {
  let key = "";

  it("migrate creates the schema in a new data folder", async () => {
    const report = await json<{
      database: { kind: string };
      folders: { applied: number; total: number }[];
    }>(["migrate"]);
    expect(report.database.kind).toBe("pglite");
    // Every migration the store ships (its drizzle-kit journal's entries) ran now.
    const journal = JSON.parse(
      readFileSync(join(storeMigrationsFolder(), "meta", "_journal.json"), "utf8"),
    ) as { entries: unknown[] };
    const shipped = journal.entries.length;
    expect(report.folders[0]).toMatchObject({ applied: shipped, total: shipped });
  });

  it("users create / grant / revoke / list", async () => {
    const alice = await json<{ id: number; isStaff: boolean }>([
      "users",
      "create",
      "alice",
      "--email",
      "alice@example.com",
      "--staff",
    ]);
    expect(alice.isStaff).toBe(true);
    const duplicate = await cli(["users", "create", "alice"]);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('user "alice" already exists');
    await json(["users", "grant", "alice", "orders.create", "reports.view"]);
    const revoked = await json<{ permissions: string[] }>([
      "users",
      "revoke",
      "alice",
      "reports.view",
    ]);
    expect(revoked.permissions).toEqual(["orders.create"]);
    const table = await cli(["users", "list"]);
    expect(table.stdout).toMatch(/alice\s+alice@example\.com\s+staff\s+orders\.create/);
  });

  it("users deactivate / activate", async () => {
    await json(["users", "create", "bob"]);
    const off = await json<{ isActive: boolean }>(["users", "deactivate", "bob"]);
    expect(off.isActive).toBe(false);
    expect((await cli(["users", "list"])).stdout).not.toMatch(/\bbob\b/);
    expect((await cli(["users", "list", "--all"])).stdout).toMatch(/bob\s+-\s+inactive/);
    const on = await json<{ isActive: boolean }>(["users", "activate", "bob"]);
    expect(on.isActive).toBe(true);
    const missing = await cli(["users", "deactivate", "nobody-here"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("nobody-here");
  });

  it("users update changes flags and email; with nothing to change it is a usage error", async () => {
    await json(["users", "create", "gina", "--staff", "--superuser", "--email", "g@example.com"]);
    const demoted = await json<{ isStaff: boolean; isSuperuser: boolean; email: string | null }>([
      "users",
      "update",
      "gina",
      "--no-superuser",
      "--email",
      "",
    ]);
    expect(demoted).toMatchObject({ isStaff: true, isSuperuser: false, email: null });
    expect((await cli(["users", "list"])).stdout).toMatch(/gina\s+-\s+staff\s/);
    const nothing = await cli(["users", "update", "gina"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("error: nothing to change: give --email");
    const badEmail = await cli(["users", "update", "gina", "--email", "not-an-email"]);
    expect(badEmail.code).toBe(2); // Bad input, as for users create.
    expect(badEmail.stderr).toContain('invalid email "not-an-email"');
  });

  it("keys create shows the key once; list/show never show the key or its hash", async () => {
    const created = await json<{ key: string; record: { id: number; expiresAt: string } }>([
      "keys",
      "create",
      "--user",
      "alice",
      "--name",
      "billing",
      "--expires-in",
      "30d",
    ]);
    key = created.key;
    expect(key).toMatch(/^gcfg_[0-9A-Za-z]{49}$/);
    expect(
      Math.abs(new Date(created.record.expiresAt).getTime() - (Date.now() + 30 * 86_400_000)),
    ).toBeLessThan(60_000);
    const hash = createHash("sha256").update(key).digest("hex");
    for (const args of [
      ["keys", "list"],
      ["keys", "show", "1", "--json"],
    ]) {
      const run = await cli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(key.slice(0, 13));
      expect(run.stdout).not.toContain(key);
      expect(run.stdout).not.toContain(hash);
    }
  });

  it("keys rotate and revoke", async () => {
    const rotated = await json<{
      key: string;
      record: { id: number; rotatedFromId: number };
      previous: { graceUntil: string };
    }>(["keys", "rotate", "1", "--grace", "1h"]);
    expect(rotated.key).not.toBe(key);
    expect(rotated.record.rotatedFromId).toBe(1);
    expect(new Date(rotated.previous.graceUntil).getTime()).toBeGreaterThan(
      Date.now() + 59 * 60_000,
    );
    const revoke = await cli(["keys", "revoke", String(rotated.record.id)]);
    expect(revoke.stdout).toContain(`revoked API key ${rotated.record.id}`);
    const missing = await cli(["keys", "revoke", "999"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no API key with id 999");
  });

  it("keys rotate names the key's expiry when it comes before the grace ends", async () => {
    const created = await json<{ record: { id: number; expiresAt: string } }>([
      "keys",
      "create",
      "--user",
      "alice",
      "--name",
      "short",
      "--expires-in",
      "1h30m",
    ]);
    const { id, expiresAt } = created.record;
    const expiry = `${expiresAt.slice(0, 19).replace("T", " ")}Z`;
    const rotate = await cli(["keys", "rotate", String(id), "--grace", "7d"]);
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(rotate.stdout).toContain(
      `API key ${id} keeps working until ${expiry} (its expiry, sooner than the 7d grace).`,
    );
    const show = await cli(["keys", "show", String(id)]);
    expect(show.stdout).toMatch(new RegExp(`grace until\\s+${expiry}`));
    // A key that outlives the grace is told the grace.
    const longer = await json<{ record: { id: number } }>([
      "keys",
      "create",
      "--user",
      "alice",
      "--name",
      "long",
      "--expires-in",
      "30d",
    ]);
    const normal = await cli(["keys", "rotate", String(longer.record.id), "--grace", "1h"]);
    expect(normal.stdout).toContain(`API key ${longer.record.id} keeps working for 1h (until `);
  });

  it("logs, stats, status and logs prune read what a server wrote", async () => {
    const store = await openStore({ dataDir, logger: silentLogger });
    const sink = store.createRequestLogSink();
    const now = Date.now();
    const base = {
      path: "/shop.v1.Orders/Get",
      service: "shop.v1.Orders",
      method: "Get",
      callKind: "unary" as const,
      errorDetails: null,
      userId: 1,
      apiKeyId: 1,
      authenticated: true,
      authMethod: "api-key" as const,
      clientAddress: "127.0.0.1",
      requestMessages: 1,
      responseMessages: 1,
    };
    for (const [i, durationMs] of [10, 20, 30, 40].entries()) {
      sink.write({
        ...base,
        requestId: `r${i}`,
        status: i === 3 ? "error" : "success",
        grpcCode: i === 3 ? 5 : 0,
        errorMessage: i === 3 ? "order not found" : null,
        durationMs,
        startedAt: new Date(now - 1000 * i),
        completedAt: new Date(now),
      });
    }
    sink.write({
      ...base,
      requestId: "ancient",
      status: "success",
      grpcCode: 0,
      errorMessage: null,
      durationMs: 1,
      startedAt: new Date(now - 40 * 86_400_000),
      completedAt: new Date(now - 40 * 86_400_000),
    });
    const instance = await store.registerInstance({ port: 50051, services: ["shop.v1.Orders"] });
    await store.close();

    const logs = await json<{ requestId: string; username: string; apiKeyName: string }[]>([
      "logs",
      "--limit",
      "10",
    ]);
    expect(logs.map((entry) => entry.requestId)).toEqual(["ancient", "r3", "r2", "r1", "r0"]);
    expect(logs[4]).toMatchObject({ username: "alice", apiKeyName: "billing" });
    const errors = await cli(["logs", "--status", "error"]);
    expect(errors.stdout).toMatch(
      /shop\.v1\.Orders\/Get\s+error\s+5\s+40ms\s+alice\s+billing\s+order not found/,
    );
    expect(errors.stdout).not.toContain("success");

    const stats = await json<{
      overall: { total: number; errors: number; successRate: number; p50DurationMs: number };
      methods: unknown[];
    }>(["stats", "--hours", "1"]);
    expect(stats.overall).toMatchObject({
      total: 4,
      errors: 1,
      successRate: 75,
      p50DurationMs: 25,
    });
    expect(stats.methods).toHaveLength(1);

    const status = await json<{ instances: { id: string; status: string; stale: boolean }[] }>([
      "status",
    ]);
    expect(status.instances).toEqual([
      expect.objectContaining({ id: instance.id, status: "running" }),
    ]);

    const pruned = await json<{ deleted: number }>(["logs", "prune", "--older-than", "30d"]);
    expect(pruned.deleted).toBe(1);
  });

  it("status marks an instance that died while stopping as stale, and hides day-old dead ones", async () => {
    const store = await openStore({ dataDir, logger: silentLogger });
    const silentFor = async (id: string, interval: string) =>
      store.db
        .update(serverInstances)
        .set({ lastHeartbeatAt: sql`now() - ${interval}::interval` })
        .where(eq(serverInstances.id, id));
    // Killed during its shutdown a minute ago, and crashed two days ago.
    const diedStopping = await store.registerInstance({ port: 50052 });
    await diedStopping.markStopping();
    diedStopping.stopHeartbeat();
    await silentFor(diedStopping.id, "1 minute");
    const longDead = await store.registerInstance({ port: 50053 });
    longDead.stopHeartbeat();
    await silentFor(longDead.id, "2 days");
    await store.close();

    const table = await cli(["status"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`${diedStopping.id.slice(0, 8)}.*:50052\\s+stale`));
    expect(table.stdout).not.toContain(longDead.id.slice(0, 8));
    expect(table.stdout).toContain(
      "1 stale instance silent for over a day not shown (--all shows them)",
    );
    const all = await json<{ instances: { id: string; status: string; stale: boolean }[] }>([
      "status",
      "--all",
    ]);
    expect(all.instances).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: diedStopping.id, status: "stopping", stale: true }),
        expect.objectContaining({ id: longDead.id, status: "running", stale: true }),
      ]),
    );
  });

  it("status says a worker found dead was not a clean stop, and brackets IPv6 addresses", async () => {
    const store = await openStore({ dataDir, logger: silentLogger });
    // What the `serve --workers` primary does for a worker killed with -9.
    const died = await store.registerInstance({ address: "::1", port: 50054 });
    died.stopHeartbeat();
    await store.instances.markExited(died.id);
    await store.close();

    const table = await cli(["status", "--all"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      new RegExp(`${died.id.slice(0, 8)}.*\\[::1\\]:50054\\s+stopped \\(died\\)`),
    );
  });

  it("refuses bad arguments with exit code 2 and a message naming them", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["keys", "create", "--user", "alice", "--name", "x", "--expires-in", "10"],
        /invalid --expires-in "10"/,
      ],
      [["keys", "rotate", "1", "--grace", "soon"], /invalid --grace "soon"/],
      [["keys", "show", "abc"], /key id must be a positive whole number/],
      [["keys", "create", "--name", "x"], /Missing required argument: user/],
      [["logs", "prune", "--older-than", "0d"], /must be longer than 0/],
      [["logs", "--limit", "0"], /--limit must be a whole number from 1 to 1000/],
      [["logs", "--status", "weird"], /Invalid values/],
      [["stats", "--hours", "-3"], /--hours must be a number above 0/],
      [["users"], /Name a subcommand/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr, args.join(" ")).toMatch(message);
    }
  });

  it("names an unreachable PostgreSQL server without its password", async () => {
    const run = await cli(["users", "list"], {
      DATABASE_URL: "postgres://app:Hunter2Secret@127.0.0.1:1/app",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("127.0.0.1:1");
    expect(run.stderr).not.toContain("Hunter2Secret");
  });
});
