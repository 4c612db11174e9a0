// A PostgreSQL 15 cluster of our own (pg_createcluster, port 54329) for the database-fault
// scenario: stopping it breaks nobody else, and nobody else's test harness restarts it
// behind our back (which happened with the shared cluster). Needs root, like the bench.
import { execFileSync } from "node:child_process";

const VERSION = "15";
const NAME = "grpc_cfg_rel";
const PORT = 54329;

const run = (command, args) =>
  execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const psql = (sql) => run("su", ["postgres", "-c", `psql -p ${PORT} -qtAc "${sql}"`]).trim();

/** True when the private cluster accepts connections. */
export function ready() {
  try {
    run("pg_isready", ["-h", "127.0.0.1", "-p", String(PORT), "-q"]);
    return true;
  } catch {
    return false;
  }
}

/** Creates (or reuses) and starts the cluster; returns the URL of a fresh database `name`. */
export function createPrivateCluster(name) {
  const exists = run("pg_lsclusters", ["-h"])
    .split("\n")
    .some((l) => l.split(/\s+/)[1] === NAME);
  if (!exists) run("pg_createcluster", [VERSION, NAME, "-p", String(PORT)]);
  start();
  if (psql("SELECT 1 FROM pg_roles WHERE rolname = 'grpc_cfg'") !== "1") {
    psql("CREATE ROLE grpc_cfg LOGIN PASSWORD 'grpc_cfg' CREATEDB");
  }
  psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  psql(`CREATE DATABASE ${name} OWNER grpc_cfg`);
  return `postgres://grpc_cfg:grpc_cfg@127.0.0.1:${PORT}/${name}`;
}

/** Fast shutdown (open connections are cut, as in a crash of the database host). */
export function stop() {
  run("pg_ctlcluster", [VERSION, NAME, "stop", "-m", "fast"]);
}

/** Starts the cluster if it is down and waits until it accepts connections (≤ 30 s). */
export function start() {
  if (ready()) return;
  run("pg_ctlcluster", [VERSION, NAME, "start"]);
  for (let i = 0; i < 150 && !ready(); i++) run("sleep", ["0.2"]);
}

/** Stops and deletes the cluster. */
export function drop() {
  run("pg_dropcluster", ["--stop", VERSION, NAME]);
}
