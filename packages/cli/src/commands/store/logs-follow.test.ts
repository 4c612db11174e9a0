// `grpc-cfg logs --follow` end to end: the built CLI against a real PostgreSQL, fed by a
// request-log sink in this process (or by raw inserts, for commit-order races); and the
// follow loop itself on both backends.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { openStore, silentLogger } from "@grpc-cfg/store";
import { sql } from "drizzle-orm";
import postgresJs from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../../../../store/src/testdata/backends.js";
import { rowsOf } from "../../../../store/src/sql-rows.js";
import { logRecord } from "../../../../store/src/testdata/log-records.js";
import { proxyPostgres } from "../../../../store/src/testdata/tcp-proxy.js";
import { createTestDatabase } from "../../../../../tests/support/postgres.js";
import { FollowCursor, followLogs } from "./logs-follow.js";

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

/** `grpc-cfg logs --follow --json` with its stdout lines and stderr. */
function startFollow(url: string, ...args: string[]) {
  const { DATABASE_URL: _unused, ...inherited } = process.env;
  const child = spawn(process.execPath, [BIN, "logs", "--follow", "--json", ...args], {
    cwd: workDir,
    env: { ...inherited, DATABASE_URL: url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  /** The next printed row's requestId, or a failure after `ms`. */
  const next = async (ms = 8_000): Promise<string> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no row within ${ms} ms; stderr: ${stderr}`)), ms);
    });
    try {
      const line = await Promise.race([lines.next(), late]);
      return (JSON.parse(String(line.value)) as { requestId: string }).requestId;
    } finally {
      clearTimeout(timer);
    }
  };
  const stop = async (): Promise<number | null> => {
    if (child.exitCode !== null) return child.exitCode;
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGINT");
    return exited;
  };
  return { child, next, stop, stderr: () => stderr };
}

const insertRow = (db: postgresJs.Sql | postgresJs.TransactionSql, requestId: string) =>
  db`insert into request_logs (request_id, service, method, path, call_kind, status, grpc_code,
     duration_ms, created_at, completed_at)
     values (${requestId}, 'race.v1.S', 'M', '/race.v1.S/M', 'unary', 'success', 0, 1, now(), now())
     returning id`;

describe.skipIf(postgres === null)("grpc-cfg logs --follow: late commits and outages", () => {
  beforeAll(async () => {
    // The raw inserts below need the schema (the CLI would create it only once it runs).
    await (await openStore({ url: postgres!.url, logger: silentLogger })).close();
  });

  it("prints a row whose transaction commits after a later row was printed", async () => {
    const db = postgresJs(postgres!.url, { max: 2, onnotice: () => {} });
    const follow = startFollow(postgres!.url, "--service", "race.v1.S");
    try {
      await insertRow(db, "first");
      expect(await follow.next()).toBe("first");
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted = () => {};
      const slowHasId = new Promise<void>((resolve) => (inserted = resolve));
      // A server's slow batch: its id is taken now, its commit comes later.
      const slow = db.begin(async (tx) => {
        await insertRow(tx, "slow");
        inserted();
        await held;
      });
      await slowHasId;
      await insertRow(db, "fast");
      expect(await follow.next()).toBe("fast");
      release();
      await slow;
      expect(await follow.next()).toBe("slow");
      expect(await follow.stop()).toBe(0);
    } finally {
      await follow.stop();
      await db.end();
    }
  });

  it("keeps following through a database outage, saying so once on stderr", async () => {
    const { proxy, url } = await proxyPostgres(postgres!.url);
    const db = postgresJs(postgres!.url, { max: 1, onnotice: () => {} });
    const follow = startFollow(url, "--service", "race.v1.S", "--limit", "1");
    try {
      await insertRow(db, "before-outage");
      expect(await follow.next()).toBe("before-outage");
      await proxy.cut();
      await expect.poll(follow.stderr, { timeout: 10_000 }).toMatch(/retrying/);
      expect(follow.stderr()).toMatch(
        /^logs --follow: cannot read the request log \(.+\); retrying until the database is back \(Ctrl\+C to stop\)\n$/,
      );
      await insertRow(db, "during-outage");
      await proxy.restore();
      expect(await follow.next(20_000)).toBe("during-outage");
      expect(follow.stderr()).toContain("logs --follow: reading the request log again\n");
      expect(follow.child.exitCode).toBe(null);
      expect(await follow.stop()).toBe(0);
    } finally {
      await follow.stop();
      await proxy.close();
      await db.end();
    }
  }, 60_000);
});

describe("FollowCursor", () => {
  it("prints each id once and waits for a gap below a printed id only for the window", () => {
    const cursor = new FollowCursor(10, 1_000);
    expect([11, 13, 14].map((id) => cursor.take(id, 0))).toEqual([true, true, true]);
    expect(cursor.take(13, 0)).toBe(false);
    cursor.settle(500);
    // 12 is missing: reads go on from 11, so it is still found when it commits.
    expect(cursor.floor).toBe(11);
    expect(cursor.take(12, 600)).toBe(true);
    cursor.settle(600);
    expect(cursor.floor).toBe(14);
    expect(cursor.tracked).toBe(0);
    cursor.take(16, 700);
    cursor.settle(1_600);
    expect(cursor.floor).toBe(14);
    cursor.settle(1_700);
    // A window after 16 was printed, 15 is given up.
    expect(cursor.floor).toBe(16);
    expect(cursor.take(15, 1_800)).toBe(false);
  });
});

describe.each(await testBackends())("followLogs on $name", (backend) => {
  it.skipIf(backend.skip)("prints a row that lands below printed ids, once", async () => {
    const store = await backend.open();
    const sink = store.createRequestLogSink();
    const service = `late${Math.random().toString(36).slice(2, 8)}.v1.S`;
    // An id taken now and used later, as by a transaction that commits late.
    const [reserved] = rowsOf<{ id: number }>(
      await store.db.execute(
        sql`select nextval(pg_get_serial_sequence('request_logs', 'id'))::int as id`,
      ),
    );
    const printed: string[] = [];
    const stopping = new AbortController();
    const done = followLogs({
      store,
      filter: { service },
      afterId: 0,
      print: async (entry) => void printed.push(entry.requestId),
      warn: (line) => printed.push(`warn: ${line}`),
      signal: stopping.signal,
      pollMs: 20,
      windowMs: 5_000,
    });
    try {
      sink.write(logRecord({ requestId: "a", service }));
      sink.write(logRecord({ requestId: "b", service }));
      await sink.flush();
      await expect.poll(() => printed).toEqual(["a", "b"]);
      await store.db.execute(
        sql`insert into request_logs (id, request_id, service, method, path, call_kind, status,
            grpc_code, duration_ms, created_at, completed_at)
            values (${reserved!.id}, 'late', ${service}, 'M', ${`/${service}/M`}, 'unary',
            'success', 0, 1, now(), now())`,
      );
      await expect.poll(() => printed).toEqual(["a", "b", "late"]);
      await new Promise((resolve) => setTimeout(resolve, 200)); // Ten more polls.
      expect(printed).toEqual(["a", "b", "late"]);
    } finally {
      stopping.abort();
      await done;
    }
  });
});
