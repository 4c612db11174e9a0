#!/usr/bin/env node
// Server capacity: the echo service on bare nice-grpc and on the full grpc-cfg stack, each
// driven to saturation by h2load (nghttp2's load generator, in C). `npm run bench` drives the
// servers with a grpc-js client process, which costs ~200 µs of CPU per call — more than
// either server — so there the two processes take turns and the ratio mixes client and server
// cost. h2load costs a few µs per call, so here the server's core is the limit and the ratio
// is what a server costs per call.
//
//   apt-get install -y nghttp2-client      (Debian's h2load)
//   npm run bench:capacity
//
// Env: BENCH_ROUNDS (5), BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (3), BENCH_CONCURRENCY (32
// streams on one connection), GRPC_CFG_BENCH_DATABASE_URL.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { frame, rawRequest } from "../reliability/lib/raw-http2.mjs";
import { echoRequest } from "./echo-request.mjs";
import { bareServer, fullStackServer, prepareBenchApp, startSpec } from "./bench-app.mjs";
import { cpuMicros } from "./proc-cpu.mjs";
import { stopServer } from "./processes.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const DB_NAME = "grpc_cfg_capacity";
const log = (line) => process.stdout.write(`${line}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MODES = {
  unary: { path: "/bench.v1.EchoService/Echo", count: 0, messages: 1 },
  stream: { path: "/bench.v1.EchoService/Stream", count: 100, messages: 100 },
};

if (spawnSync("h2load", ["--version"]).error) {
  process.stderr.write(
    "capacity: h2load not found; install it with apt-get install nghttp2-client\n",
  );
  process.exit(2);
}

const { url, env, key } = prepareBenchApp(DB_NAME);

// h2load sends one file as every request's body: a gRPC frame (flag, length, message).
const work = mkdtempSync(path.join(tmpdir(), "grpc-cfg-capacity-"));
const frames = {};
const bodies = {};
for (const [mode, { count }] of Object.entries(MODES)) {
  frames[mode] = frame(echoRequest("hello", count));
  bodies[mode] = path.join(work, `${mode}.bin`);
  writeFileSync(bodies[mode], frames[mode]);
}

/** Runs h2load for `seconds`; returns the completed requests per second. */
function h2load(port, mode, seconds) {
  const run = spawnSync(
    "h2load",
    [
      ...["-D", String(seconds), "-c", "1", "-m", String(CONCURRENCY), "-d", bodies[mode]],
      ...["-H", "content-type: application/grpc", "-H", "te: trailers"],
      ...["-H", `x-api-key: ${key}`],
      `http://127.0.0.1:${port}${MODES[mode].path}`,
    ],
    { encoding: "utf8" },
  );
  const rate = /finished in [^,]+, ([\d.]+) req\/s/.exec(run.stdout);
  const failed = /requests: .*?(\d+) failed, (\d+) errored/.exec(run.stdout);
  if (!rate || !failed || failed[1] !== "0" || failed[2] !== "0") {
    throw new Error(
      `h2load against port ${port} did not finish cleanly:\n${run.stdout}${run.stderr}`,
    );
  }
  return Number(rate[1]);
}

/**
 * h2load judges by HTTP status only; a gRPC error still has HTTP 200. One call per server and
 * mode over plain HTTP/2, with the same bytes and headers, must end with grpc-status 0.
 */
async function checkAnswersOk(port, mode) {
  const answer = await rawRequest(port, {
    path: MODES[mode].path,
    headers: { "x-api-key": key },
    body: frames[mode],
  });
  if (answer.grpcStatus !== 0) {
    throw new Error(`port ${port} ${mode}: ${JSON.stringify(answer)}`);
  }
}

const servers = [
  bareServer("bare nice-grpc", "bare-nice-grpc.ts"),
  fullStackServer({ ...process.env, ...env }),
];

log(
  `grpc-cfg capacity: h2load, 1 connection × ${CONCURRENCY} streams, ${WARMUP_SECONDS}s warm-up, ${ROUNDS} interleaved rounds × ${SECONDS}s, fresh servers per round, node ${process.version}`,
);
const ratios = { unary: [], stream: [] };
try {
  for (const mode of Object.keys(MODES)) {
    for (let round = 1; round <= ROUNDS; round++) {
      const started = await Promise.all(servers.map(startSpec));
      try {
        for (const server of started) {
          await checkAnswersOk(server.port, mode);
          if (WARMUP_SECONDS > 0) h2load(server.port, mode, WARMUP_SECONDS);
        }
        const rates = new Map();
        for (const server of round % 2 === 1 ? started : [...started].reverse()) {
          const cpuBefore = cpuMicros(server.child.pid);
          const t0 = performance.now();
          const rate = h2load(server.port, mode, SECONDS);
          const busy = (cpuMicros(server.child.pid) - cpuBefore) / ((performance.now() - t0) * 10);
          rates.set(server.name, rate);
          log(
            `  ${mode} round ${round} ${server.name.padEnd(20)} ${String(Math.round(rate * MODES[mode].messages)).padStart(7)} ${mode === "unary" ? "calls" : "msgs"}/s  server CPU ${busy.toFixed(0)} %`,
          );
        }
        ratios[mode].push(rates.get(servers[1].name) / rates.get(servers[0].name));
      } finally {
        await Promise.all(started.map((server) => stopServer(server)));
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// h2load cannot see a gRPC error: every call the full stack answered has a log row, and each
// must say OK — or cancelled, for the streams h2load cuts off when its time is up.
const failed = execFileSync(
  "psql",
  [url, "-qtAc", "SELECT count(*) FROM request_logs WHERE status NOT IN ('success', 'cancelled')"],
  { encoding: "utf8" },
).trim();
if (failed !== "0") throw new Error(`${failed} calls to the full stack failed`);

log("\nFull stack vs bare nice-grpc at saturation (median of the rounds' own ratios)");
for (const [mode, xs] of Object.entries(ratios)) {
  log(
    `  ${mode === "unary" ? "unary calls/s    " : "stream messages/s"}  ${median(xs).toFixed(2)}  [${xs.map((x) => x.toFixed(2)).join(", ")}]`,
  );
}
log("  no call to the full stack failed (its request log: only successes and cut-off streams)");
