/**
 * Test helper: a real PostgreSQL server and a fresh database per test file.
 *
 * Where the server comes from, in order:
 * 1. `GRPC_CFG_TEST_DATABASE_URL` (an admin URL whose role may CREATE DATABASE) — used as is;
 *    if it is set but unreachable the tests fail (it was asked for explicitly).
 * 2. Running as root with Debian's `pg_ctlcluster`: cluster 15/main is started if stopped and a
 *    role `grpc_cfg` (password `grpc_cfg`, CREATEDB) is created if missing; the admin URL is
 *    `postgres://grpc_cfg:grpc_cfg@127.0.0.1:5432/postgres`.
 * 3. Otherwise PostgreSQL tests are skipped with a printed reason — unless `CI` is set, where
 *    a missing server is a failure.
 *
 * Usage:
 * ```ts
 * const pg = await postgresForTests();            // { url } or { skipReason }
 * const database = await createTestDatabase();    // null when skipped; call drop() in afterAll
 * ```
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import postgres from "postgres";

const run = promisify(execFile);

const DEFAULT_ADMIN_URL = "postgres://grpc_cfg:grpc_cfg@127.0.0.1:5432/postgres";
const PG_CTLCLUSTER = "/usr/bin/pg_ctlcluster";

/** Where the PostgreSQL tests can run, or why they cannot. */
export type PostgresAvailability = { readonly url: string } | { readonly skipReason: string };

/** A database created for one test file. */
export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  readonly url: string;
  /** Name of the database (unique per call). */
  readonly name: string;
  /** Drops the database (terminating leftover connections). Safe to call twice. */
  drop(): Promise<void>;
}

let availability: Promise<PostgresAvailability> | undefined;

/** Ensures a PostgreSQL server is reachable (starting the local cluster if allowed); cached per process. */
export function postgresForTests(): Promise<PostgresAvailability> {
  availability ??= locate().then((found) => {
    if ("skipReason" in found) {
      if (process.env.CI) {
        throw new Error(`PostgreSQL is required when CI is set: ${found.skipReason}`);
      }
      process.stderr.write(`[tests] skipping PostgreSQL tests: ${found.skipReason}\n`);
    }
    return found;
  });
  return availability;
}

/**
 * Creates a uniquely named empty database and returns its URL, or null when PostgreSQL tests
 * are skipped (the reason has been printed). Drop it in `afterAll`.
 */
export async function createTestDatabase(prefix = "gcfg_test"): Promise<TestDatabase | null> {
  const found = await postgresForTests();
  if ("skipReason" in found) return null;
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`.toLowerCase();
  await withAdmin(found.url, (sql) => sql.unsafe(`CREATE DATABASE "${name}"`));
  const url = new URL(found.url);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withAdmin(found.url, (sql) => dropDatabase(sql, name));
    },
  };
}

/** SQLSTATE of "must be a member of the role whose process is being terminated". */
const INSUFFICIENT_PRIVILEGE = "42501";

/**
 * `DROP DATABASE … WITH (FORCE)`, retried while an autovacuum worker is in the database:
 * PostgreSQL 15 checks that we may terminate every process there before it asks autovacuum
 * to leave, and a worker has no role we are a member of, so the drop fails with 42501 until
 * the worker is done (seen once in a full `npm test`, in a file's afterAll).
 */
async function dropDatabase(sql: postgres.Sql, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== INSUFFICIENT_PRIVILEGE || attempt === 40) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function locate(): Promise<PostgresAvailability> {
  const explicit = process.env.GRPC_CFG_TEST_DATABASE_URL;
  if (explicit) {
    const problem = await probe(explicit);
    if (problem) {
      throw new Error(`GRPC_CFG_TEST_DATABASE_URL is set but not usable: ${problem}`);
    }
    return { url: explicit };
  }
  if (!(await probe(DEFAULT_ADMIN_URL))) return { url: DEFAULT_ADMIN_URL };
  if (process.getuid?.() !== 0 || !existsSync(PG_CTLCLUSTER)) {
    return {
      skipReason:
        "no server at 127.0.0.1:5432 and cannot start one (needs root and pg_ctlcluster); " +
        "set GRPC_CFG_TEST_DATABASE_URL",
    };
  }
  try {
    await startLocalCluster();
    await ensureRole();
  } catch (error) {
    return { skipReason: `could not start the local cluster: ${describe(error)}` };
  }
  const problem = await probe(DEFAULT_ADMIN_URL);
  return problem
    ? { skipReason: `local cluster started but ${problem}` }
    : { url: DEFAULT_ADMIN_URL };
}

async function startLocalCluster(): Promise<void> {
  try {
    await run(PG_CTLCLUSTER, ["15", "main", "start"]);
  } catch (error) {
    // Another test process may have started it first; the readiness loop below decides.
    const status = await run(PG_CTLCLUSTER, ["15", "main", "status"]).catch(() => null);
    if (!status) throw error;
  }
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const ready = await run("pg_isready", ["-h", "127.0.0.1", "-q"]).then(
      () => true,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error("pg_isready never reported ready");
}

async function ensureRole(): Promise<void> {
  // Concurrent test processes may race here: both errors mean "already there".
  const statement =
    "DO $$ BEGIN CREATE ROLE grpc_cfg LOGIN PASSWORD 'grpc_cfg' CREATEDB; " +
    "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$";
  // `su -c` runs a shell, which would expand `$$` to its pid inside double quotes.
  await run("su", ["postgres", "-c", `psql -qc "${statement.replaceAll("$", "\\$")}"`]);
}

/** Returns null when the URL accepts connections, else a description of the failure. */
async function probe(url: string): Promise<string | null> {
  try {
    await withAdmin(url, (sql) => sql`select 1`);
    return null;
  } catch (error) {
    return describe(error);
  }
}

async function withAdmin<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
