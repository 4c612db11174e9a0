// Database-level errors are not record-level ones: the sink must keep the records and retry,
// as during a connection loss, instead of dropping them as "refused". Real PostgreSQL only.
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, postgresForTests } from "../../../../tests/support/postgres.js";
import { openStore, requestLogs, silentLogger, type Store } from "../index.js";
import { testBackends, uniqueName } from "../testdata/backends.js";
import { logRecord } from "../testdata/log-records.js";

const postgresBackend = (await testBackends()).find((backend) => backend.name === "postgres");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const RETRY = { flushIntervalMs: 50, initialRetryMs: 50, maxRetryMs: 200 } as const;

async function countRows(store: Store, service: string): Promise<number> {
  const [row] = await store.db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(requestLogs)
    .where(sql`${requestLogs.service} = ${service}`);
  return row?.n ?? -1;
}

describe.skipIf(!postgresBackend || postgresBackend.skip !== null)(
  "request log sink on database-level errors (PostgreSQL)",
  () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    });

    it("keeps the records while the database does not exist (3D000) and writes them once it is back", async () => {
      const database = await createTestDatabase("gcfg_sink_gone");
      const found = await postgresForTests();
      if (!database || "skipReason" in found) throw new Error("PostgreSQL vanished");
      cleanups.push(() => database.drop());
      const admin = postgres(found.url, { max: 1, onnotice: () => {} });
      cleanups.push(() => admin.end());
      const warnings: string[] = [];
      const logger = {
        ...silentLogger,
        warn: (message: string, fields?: object) =>
          void warnings.push(`${message} ${JSON.stringify(fields)}`),
      };
      const open = () => openStore({ url: database.url, logger });
      const store = await open();
      cleanups.push(() => store.close());
      const sink = store.createRequestLogSink(RETRY);
      const service = uniqueName("dropped_db");
      sink.write(logRecord({ service }));
      await sink.flush();

      await admin.unsafe(`DROP DATABASE "${database.name}" WITH (FORCE)`);
      for (let i = 0; i < 20; i += 1) sink.write(logRecord({ service }));
      // The sink's first retry may see the connection end; later ones are told the database
      // does not exist (it reports attempts 1, 10, 20…).
      for (
        let waited = 0;
        !warnings.some((w) => w.includes("3D000")) && waited < 10_000;
        waited += 100
      )
        await sleep(100);
      expect(warnings.filter((w) => w.includes("3D000"))).not.toEqual([]);
      expect(warnings.filter((w) => w.startsWith("dropped"))).toEqual([]);
      expect(sink.stats()).toMatchObject({ written: 1, dropped: 0, queued: 20 });

      await admin.unsafe(`CREATE DATABASE "${database.name}"`);
      const fresh = await open(); // migrates the new, empty database
      cleanups.push(() => fresh.close());
      await sink.flush();
      expect(sink.stats()).toEqual({ written: 21, dropped: 0, queued: 0 });
      expect(await countRows(fresh, service)).toBe(20);
      await sink.close();
    });

    it("keeps the records while the role may not insert (42501) and writes them once it may", async () => {
      const store = await postgresBackend!.open();
      const sink = store.createRequestLogSink(RETRY);
      const service = uniqueName("no_grant");
      // The role owns the table, and an owner may revoke its own privileges.
      await store.db.execute(sql`revoke insert on request_logs from current_user`);
      const grant = () => store.db.execute(sql`grant insert on request_logs to current_user`);
      try {
        for (let i = 0; i < 10; i += 1) sink.write(logRecord({ service }));
        await sleep(500);
        expect(sink.stats()).toMatchObject({ written: 0, dropped: 0, queued: 10 });
      } finally {
        await grant();
      }
      await sink.flush();
      expect(sink.stats()).toEqual({ written: 10, dropped: 0, queued: 0 });
      expect(await countRows(store, service)).toBe(10);
      await sink.close();
    });

    it("keeps the records when its connections are terminated (57P01)", async () => {
      const store = await postgresBackend!.open();
      const sink = store.createRequestLogSink(RETRY);
      const service = uniqueName("terminated");
      sink.write(logRecord({ service }));
      await sink.flush();
      const other = await postgresBackend!.open();
      await other.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
      );
      for (let i = 0; i < 10; i += 1) sink.write(logRecord({ service }));
      await sink.flush();
      expect(sink.stats()).toEqual({ written: 11, dropped: 0, queued: 0 });
      expect(await countRows(other, service)).toBe(11);
      await sink.close();
    });

    it("counts the records of an insert under way as queued, not as gone", async () => {
      const store = await postgresBackend!.open();
      const sink = store.createRequestLogSink({ batchSize: 10, flushIntervalMs: 60_000 });
      const service = uniqueName("in_flight");
      const other = await postgresBackend!.open();
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      // Another connection holds the table, so the batch's INSERT waits in the database.
      const locking = other.db.transaction(async (tx) => {
        await tx.execute(sql`lock table request_logs in access exclusive mode`);
        await held;
      });
      await sleep(100);
      for (let i = 0; i < 10; i += 1) sink.write(logRecord({ service }));
      await sleep(300);
      expect(sink.stats()).toEqual({ queued: 10, dropped: 0, written: 0 });
      release();
      await locking;
      await sink.flush();
      expect(sink.stats()).toEqual({ queued: 0, dropped: 0, written: 10 });
      expect(await countRows(other, service)).toBe(10);
      await sink.close();
    });
  },
);
