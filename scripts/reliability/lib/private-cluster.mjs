// A PostgreSQL 15 cluster of our own (pg_createcluster) for the scenarios that must not share
// the `main` cluster: db-faults stops it (stopping it breaks nobody else, and nobody else's
// test harness restarts it behind our back, which happened with the shared cluster), and
// multi-host makes it listen on addresses other network namespaces can reach. Needs root.
// The module-level functions drive the default cluster (grpc_cfg_rel, port 54329);
// `privateCluster(options)` makes another one.
import { execFileSync } from "node:child_process";
import { appendFileSync } from "node:fs";

const VERSION = "15";

const run = (command, args) =>
  execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/**
 * A private cluster `name` on `port`. `listenAddresses` (default `["127.0.0.1"]`) become
 * `listen_addresses`; each `hba` entry (`{ address, user = "grpc_cfg" }`, a CIDR) is added
 * to pg_hba.conf as a `host` line with scram-sha-256 — a password is always required.
 * Listen addresses and hba entries are applied when the cluster is first created, so pick a
 * `name` of its own for each combination. Returns `{ name, port, create(db), start(),
 * stop(), drop(), ready() }`; `create(db, host)` returns the URL of a fresh database `db`
 * with `host` (default the first listen address) as the server's address.
 */
export function privateCluster({
  name = "grpc_cfg_rel",
  port = 54329,
  listenAddresses = ["127.0.0.1"],
  hba = [],
} = {}) {
  const psql = (sql) => run("su", ["postgres", "-c", `psql -p ${port} -qtAc "${sql}"`]).trim();
  const cluster = {
    name,
    port,
    /** True when the cluster accepts connections on its first listen address. */
    ready() {
      try {
        run("pg_isready", ["-h", listenAddresses[0], "-p", String(port), "-q"]);
        return true;
      } catch {
        return false;
      }
    },
    /** True when the cluster has been created (running or not). */
    exists() {
      return run("pg_lsclusters", ["-h"])
        .split("\n")
        .some((l) => l.split(/\s+/)[1] === name);
    },
    /** Creates (or reuses) and starts the cluster; returns the URL of a fresh database. */
    create(db, host = listenAddresses[0]) {
      if (!cluster.exists()) {
        run("pg_createcluster", [VERSION, name, "-p", String(port)]);
        // Written by hand: pg_createcluster's `-o` leaves a lone IPv4 address unquoted,
        // which postgresql.conf rejects. The last setting in the file wins.
        appendFileSync(
          `/etc/postgresql/${VERSION}/${name}/postgresql.conf`,
          `listen_addresses = '${listenAddresses.join(",")}'\n`,
        );
        const hbaFile = `/etc/postgresql/${VERSION}/${name}/pg_hba.conf`;
        for (const { address, user = "grpc_cfg" } of hba) {
          appendFileSync(hbaFile, `host all ${user} ${address} scram-sha-256\n`);
        }
      }
      cluster.start();
      if (psql("SELECT 1 FROM pg_roles WHERE rolname = 'grpc_cfg'") !== "1") {
        psql("CREATE ROLE grpc_cfg LOGIN PASSWORD 'grpc_cfg' CREATEDB");
      }
      psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      psql(`CREATE DATABASE ${db} OWNER grpc_cfg`);
      const shown = host.includes(":") ? `[${host}]` : host;
      return `postgres://grpc_cfg:grpc_cfg@${shown}:${port}/${db}`;
    },
    /** Fast shutdown (open connections are cut, as in a crash of the database host). */
    stop() {
      run("pg_ctlcluster", [VERSION, name, "stop", "-m", "fast"]);
    },
    /** Starts the cluster if it is down and waits until it accepts connections (≤ 30 s). */
    start() {
      if (cluster.ready()) return;
      run("pg_ctlcluster", [VERSION, name, "start"]);
      for (let i = 0; i < 150 && !cluster.ready(); i++) run("sleep", ["0.2"]);
    },
    /** Stops and deletes the cluster; nothing to do when there is none. */
    drop() {
      if (cluster.exists()) run("pg_dropcluster", ["--stop", VERSION, name]);
    },
  };
  return cluster;
}

const standard = privateCluster();

/** True when the default private cluster accepts connections. */
export const ready = () => standard.ready();

/** Creates (or reuses) and starts the default cluster; returns the URL of a fresh database `name`. */
export const createPrivateCluster = (name) => standard.create(name);

/** Fast shutdown of the default cluster (open connections are cut). */
export const stop = () => standard.stop();

/** Starts the default cluster if it is down and waits until it accepts connections (≤ 30 s). */
export const start = () => standard.start();

/** Stops and deletes the default cluster. */
export const drop = () => standard.drop();
