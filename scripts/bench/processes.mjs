// Child processes for the benchmarks: servers that print "listening on host:port", and the
// load client that prints one JSON line.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const repo = fileURLToPath(new URL("../..", import.meta.url));
const loadClient = fileURLToPath(new URL("./load-client.mjs", import.meta.url));

/** Starts a server process and resolves with its port once it prints where it listens. */
export function startServer(name, command, args, options = {}) {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: no "listening on" within 120 s\n${output}`)),
      120_000,
    );
    const onData = (chunk) => {
      output += chunk;
      const match = /listening on [^\s:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ name, child, port: Number(match[1]), startedAt: performance.now() });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (chunk) => (output += chunk));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening:\n${output}`));
    });
  });
}

/** Stops a server with SIGTERM and waits for it. */
export function stopServer(server) {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.once("exit", resolve);
    server.child.kill("SIGTERM");
  });
}

/** Runs the load client against a port; resolves with its JSON figures. */
export function runLoad(
  port,
  { mode = "unary", concurrency = 32, duration = 5, headers = [], count = 100 } = {},
) {
  const args = [
    loadClient,
    "--addr",
    `127.0.0.1:${port}`,
    "--mode",
    mode,
    "--concurrency",
    String(concurrency),
    "--duration",
    String(duration),
    "--count",
    String(count),
    "--path",
    mode === "unary" ? "/bench.v1.EchoService/Echo" : "/bench.v1.EchoService/Stream",
    ...headers.flatMap((h) => ["--header", h]),
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  return new Promise((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load client exited ${code}`)),
    ),
  );
}
