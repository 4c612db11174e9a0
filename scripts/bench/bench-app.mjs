// The benchmark's full-stack app (scripts/bench/app) and how the scripts prepare it.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { freshDatabase } from "./postgres.mjs";
import { repo, startServer } from "./processes.mjs";

/** The benchmark app's folder: `grpc-cfg serve` runs here. */
export const app = path.join(repo, "scripts/bench/app");
/** The grpc-cfg command line, run with this Node. */
export const cli = path.join(repo, "packages/cli/bin/grpc-cfg.js");

/** Runs `grpc-cfg <args>` in the app folder; returns its standard output. */
export function grpcCfg(args, env) {
  return execFileSync(process.execPath, [cli, ...args], {
    cwd: app,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
}

/**
 * Generates the app's code and gives it a fresh database `dbName`, migrated, with one user
 * and one API key. Returns the database URL, the environment for `grpc-cfg serve` and the key.
 */
export function prepareBenchApp(dbName) {
  grpcCfg(["generate", "--quiet"], {});
  const url = freshDatabase(dbName);
  const env = { DATABASE_URL: url, NODE_ENV: "production" };
  grpcCfg(["migrate"], env);
  grpcCfg(["users", "create", "bench"], env);
  const { key } = JSON.parse(
    grpcCfg(["keys", "create", "--user", "bench", "--name", "bench", "--json"], env),
  );
  return { url, env, key };
}

/**
 * How a compared server starts, for `startSpec`: a bare server from `scripts/bench/servers`
 * (run through tsx), with `env` as its whole environment.
 */
export function bareServer(name, file, env = process.env) {
  return {
    name,
    args: ["--import", "tsx", `servers/${file}`],
    options: { cwd: path.join(repo, "scripts/bench"), env },
  };
}

/**
 * The full stack: `grpc-cfg serve` of the benchmark app, without the monitor. `env` is the
 * whole environment (with prepareBenchApp's DATABASE_URL); `nodeArgs` go before the CLI
 * (e.g. `--cpu-prof`).
 */
export function fullStackServer(env, nodeArgs = []) {
  return {
    name: "grpc-cfg full stack",
    args: [...nodeArgs, cli, "serve", "--port", "0", "--no-monitor"],
    options: { cwd: app, env },
  };
}

/** Starts a server described by `bareServer` or `fullStackServer`. */
export function startSpec(spec) {
  return startServer(spec.name, process.execPath, spec.args, spec.options);
}
