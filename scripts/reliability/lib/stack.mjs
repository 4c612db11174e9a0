// The full grpc-cfg stack as the reliability scenarios drive it: the benchmark project
// (scripts/bench/app, an auth-required Echo/Stream service) served by the real
// `grpc-cfg serve` process on a fresh PostgreSQL database, with its output captured.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { freshDatabase } from "../../bench/postgres.mjs";
import { repo } from "../../bench/processes.mjs";

export { repo };
/** The benchmark project every scenario serves. */
export const app = path.join(repo, "scripts/bench/app");
const cli = path.join(repo, "packages/cli/bin/grpc-cfg.js");
const loadClient = path.join(repo, "scripts/bench/load-client.mjs");

/** Runs `grpc-cfg <args>` in the bench project; returns stdout, throws with stderr. */
export function grpcCfg(args, env = {}) {
  return execFileSync(process.execPath, [cli, ...args], {
    cwd: app,
    env: { ...process.env, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Generates the bench project, makes a fresh database `dbName`, migrates it, creates user
 * `rel` (staff, so its keys are admin keys for the monitor) and `keyCount` keys for it.
 * Returns `{ url, env, keys: [{ id, key }] }`.
 */
export function prepareDatabase(dbName, { keyCount = 1, url: givenUrl } = {}) {
  grpcCfg(["generate", "--quiet"]);
  const url = givenUrl ?? freshDatabase(dbName);
  const env = { DATABASE_URL: url, NODE_ENV: "production" };
  grpcCfg(["migrate"], env);
  grpcCfg(["users", "create", "rel", "--staff"], env);
  const keys = [];
  for (let i = 1; i <= keyCount; i++) keys.push(createKey(env, "rel", `key-${i}`));
  return { url, env, keys };
}

/** Creates an API key for `user`; returns `{ id, key }`. */
export function createKey(env, user, name) {
  const created = JSON.parse(
    grpcCfg(["keys", "create", "--user", user, "--name", name, "--json"], env),
  );
  return { id: created.record.id, key: created.key };
}

/**
 * Starts `grpc-cfg serve` with a config file made from `config` (merged over the bench
 * project's settings) and waits until it listens. `launcher` (command and arguments) is put
 * in front of the `node …/grpc-cfg.js serve …` command line — e.g. `ip netns exec <ns> …`;
 * it must exec the command in the end, so that `pid` and signals reach the server. Returns
 * `{ child, pid, port, monitorUrl, output(), exit }` where `exit` resolves with the exit code.
 */
export async function startServe({
  config = {},
  env = {},
  args = [],
  name = "serve",
  launcher = [],
} = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "grpc-cfg-rel-"));
  const configFile = path.join(dir, "grpc-cfg.config.mjs");
  const full = {
    server: { host: "127.0.0.1", ...config.server },
    apps: ["src/echo"],
    generated: "src/gen",
    strictDiscovery: true,
    logging: { level: "warn", ...config.logging },
    monitor: { enabled: true, port: 0, host: "127.0.0.1", ...config.monitor },
    ...(config.instance ? { instance: config.instance } : {}),
    ...(config.auth ? { auth: config.auth } : {}),
  };
  writeFileSync(configFile, `export default ${JSON.stringify(full, null, 2)};\n`);
  const [command, ...commandArgs] = [
    ...launcher,
    ...[process.execPath, cli, "serve", "--config", configFile, "--port", "0", ...args],
  ];
  const child = spawn(command, commandArgs, {
    cwd: app,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout.on("data", (chunk) => (text += chunk));
  child.stderr.on("data", (chunk) => (text += chunk));
  const exit = new Promise((resolve) =>
    child.once("exit", (code, signal) => resolve(code ?? signal)),
  );
  exit.then(() => rmSync(dir, { recursive: true, force: true }));
  const started = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: not listening within 60 s\n${text}`)),
      60_000,
    );
    const poll = setInterval(() => {
      const grpc = /listening on [^\s]+:(\d+)/.exec(text);
      const monitor = /monitor:\s+(http:\/\/[^\s/]+)/.exec(text);
      if (grpc && (!full.monitor.enabled || monitor)) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve({ port: Number(grpc[1]), monitorUrl: monitor ? monitor[1] : null });
      }
    }, 50);
    exit.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) before listening:\n${text}`));
    });
  });
  return { name, child, pid: child.pid, ...started, output: () => text, exit };
}

/** SIGTERM (or `signal`) and wait for the exit code; no-op when already gone. */
export async function stopServe(server, signal = "SIGTERM") {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return server.exit;
  server.child.kill(signal);
  return server.exit;
}

/** Resident set size of a process in KiB (VmRSS), or null when it is gone. */
export function rssKb(pid) {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** A `postgres` client for checks (max 2 connections; call `.end()`). */
export function sqlClient(url) {
  return postgres(url, { max: 2, onnotice: () => {}, connect_timeout: 5 });
}

/**
 * Runs the load client (separate process) and resolves with its JSON figures. `options`:
 * mode, concurrency, duration, warmup, rate, deadline, key, path, count.
 */
export function runLoad(port, options = {}) {
  const { mode = "unary", concurrency = 16, duration = 5, warmup = 0, rate = 0 } = options;
  const args = [
    loadClient,
    ...["--addr", `127.0.0.1:${port}`, "--mode", mode, "--concurrency", String(concurrency)],
    ...["--duration", String(duration), "--warmup", String(warmup), "--rate", String(rate)],
    ...["--deadline", String(options.deadline ?? 0), "--count", String(options.count ?? 20)],
    "--path",
    options.path ??
      (mode === "unary" ? "/bench.v1.EchoService/Echo" : "/bench.v1.EchoService/Stream"),
    ...(options.key ? ["--header", `x-api-key=${options.key}`] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => (out += c));
  child.stderr.on("data", (c) => (err += c));
  return new Promise((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0
        ? resolve(JSON.parse(out))
        : reject(new Error(`load client exited ${code}: ${err}`)),
    ),
  );
}

/** `fetch` against the monitor with an API key; resolves `{ status, body, text }`. */
export async function monitorRequest(baseUrl, pathAndQuery, { key, method = "GET", body } = {}) {
  const response = await fetch(`${baseUrl}${pathAndQuery}`, {
    method,
    headers: {
      ...(key ? { "x-api-key": key } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed, text };
}
