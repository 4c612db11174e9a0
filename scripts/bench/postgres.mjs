// PostgreSQL for the benchmarks: GRPC_CFG_BENCH_DATABASE_URL, or the local cluster started the
// same way the test suite does (pg_ctlcluster as root), with a fresh database per run.
import { execFileSync } from "node:child_process";

const ROLE_URL = "postgres://grpc_cfg:grpc_cfg@127.0.0.1:5432";

function psql(sql) {
  return execFileSync("su", ["postgres", "-c", `psql -qtAc "${sql.replaceAll('"', '\\"')}"`], {
    encoding: "utf8",
  }).trim();
}

/** Returns the URL of an empty database `name`, starting the local cluster if needed. */
export function freshDatabase(name) {
  if (process.env.GRPC_CFG_BENCH_DATABASE_URL) return process.env.GRPC_CFG_BENCH_DATABASE_URL;
  try {
    execFileSync("pg_isready", ["-h", "127.0.0.1", "-q"]);
  } catch {
    execFileSync("pg_ctlcluster", ["15", "main", "start"], { stdio: "inherit" });
    for (let i = 0; i < 60; i++) {
      try {
        execFileSync("pg_isready", ["-h", "127.0.0.1", "-q"]);
        break;
      } catch {
        execFileSync("sleep", ["0.5"]);
      }
    }
  }
  if (psql("SELECT 1 FROM pg_roles WHERE rolname = 'grpc_cfg'") !== "1") {
    psql("CREATE ROLE grpc_cfg LOGIN PASSWORD 'grpc_cfg' CREATEDB");
  }
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  psql(`CREATE DATABASE ${name} OWNER grpc_cfg`);
  return `${ROLE_URL}/${name}`;
}

/** Committed transactions in database `name` so far (each autocommit statement is one). */
export function transactions(name) {
  return Number(psql(`SELECT xact_commit FROM pg_stat_database WHERE datname = '${name}'`));
}
