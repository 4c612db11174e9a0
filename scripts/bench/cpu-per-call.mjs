#!/usr/bin/env node
// Server CPU time per call: the same echo service on bare nice-grpc and on the full grpc-cfg
// stack, driven by the load client, with each server's user+system CPU read from
// /proc/<pid>/stat before and after every run, PostgreSQL's CPU over the same window, and the
// load client's own CPU (it reports it). Requests/s swing with whatever else the machine runs;
// CPU per call barely does, so this is the figure to compare changes with.
//
//   node scripts/bench/cpu-per-call.mjs            (Linux only: reads /proc)
//
// Env: BENCH_ROUNDS (3), BENCH_SECONDS (4), BENCH_CONCURRENCY (32), GRPC_CFG_BENCH_DATABASE_URL,
// BENCH_CPU_PROF=<dir> to write a V8 CPU profile of the full-stack server into <dir>,
// BENCH_STREAM_COUNT (100) messages per stream: 1 shows what a stream costs, 1000 what a
// message costs, each with the other part thinned out.
import path from "node:path";
import { app, cli, prepareBenchApp } from "./bench-app.mjs";
import { cpuMicros, postgresMicros } from "./proc-cpu.mjs";
import { repo, runLoad, startServer, stopServer } from "./processes.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const STREAM_COUNT = Number(process.env.BENCH_STREAM_COUNT ?? 100);
if (!Number.isInteger(STREAM_COUNT) || STREAM_COUNT < 1) {
  process.stderr.write(
    `cpu-per-call: BENCH_STREAM_COUNT must be a whole number ≥ 1, got ${process.env.BENCH_STREAM_COUNT}\n`,
  );
  process.exit(2);
}
const PROFILE_DIR = process.env.BENCH_CPU_PROF;
const log = (line) => process.stdout.write(`${line}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { env, key } = prepareBenchApp("grpc_cfg_cpu_bench");

const profileArgs = PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`] : [];
const servers = [
  await startServer(
    "bare nice-grpc",
    process.execPath,
    ["--import", "tsx", "servers/bare-nice-grpc.ts"],
    { cwd: path.join(repo, "scripts/bench") },
  ),
  await startServer(
    "grpc-cfg full stack",
    process.execPath,
    [...profileArgs, cli, "serve", "--port", "0", "--no-monitor"],
    { cwd: app, env: { ...process.env, ...env } },
  ),
];

log(
  `server CPU per call: ${ROUNDS} rounds × ${SECONDS}s, ${CONCURRENCY} in flight, ${STREAM_COUNT} messages per stream`,
);
// Warm up (JIT, connections, key cache) so the first measured round is not the slowest.
for (const server of servers) {
  for (const mode of ["unary", "stream"]) {
    await runLoad(server.port, {
      mode,
      concurrency: CONCURRENCY,
      duration: 1,
      count: STREAM_COUNT,
      headers: [`x-api-key=${key}`],
    });
  }
}
const figures = new Map(
  servers.map((s) => [s.name, { unary: [], stream: [], pgUnary: [], pgStream: [] }]),
);
try {
  for (const mode of ["unary", "stream"]) {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const server of servers) {
        const before = cpuMicros(server.child.pid);
        const pgBefore = postgresMicros();
        const result = await runLoad(server.port, {
          mode,
          concurrency: CONCURRENCY,
          duration: SECONDS,
          count: STREAM_COUNT,
          headers: [`x-api-key=${key}`],
        });
        // The load client counts calls in its measured window only; its `sent` counts every
        // call the server handled (warm-up and tail included), which is what the CPU paid for.
        const handled = result.sent ?? result.calls;
        const units = mode === "unary" ? handled : handled * STREAM_COUNT;
        const perUnit = (cpuMicros(server.child.pid) - before) / units;
        // PostgreSQL shares the machine's cores with the server and the client, so what it
        // spends writing log rows is throughput the server does not get.
        const pgPerUnit = (postgresMicros() - pgBefore) / units;
        const entry = figures.get(server.name);
        entry[mode].push(perUnit);
        entry[mode === "unary" ? "pgUnary" : "pgStream"].push(pgPerUnit);
        log(
          `  ${mode} round ${round} ${server.name.padEnd(20)} ${perUnit.toFixed(1).padStart(7)} µs CPU per ${mode === "unary" ? "call" : "message"}, PostgreSQL ${pgPerUnit.toFixed(1).padStart(5)}, client ${(result.cpuMicros / units).toFixed(1).padStart(5)}  (${result.rps} calls/s)`,
        );
      }
    }
  }
} finally {
  for (const server of servers) await stopServer(server);
}

log("\nMedians (server CPU µs; PostgreSQL's CPU in the same window after the slash)");
for (const [name, f] of figures) {
  log(
    `  ${name.padEnd(20)} unary ${median(f.unary).toFixed(1)} / ${median(f.pgUnary).toFixed(1)} µs per call   stream ${median(f.stream).toFixed(2)} / ${median(f.pgStream).toFixed(2)} µs per message`,
  );
}
const [nice, full] = [...figures.values()];
log(
  `  full stack / nice-grpc: unary ${(median(full.unary) / median(nice.unary)).toFixed(2)}×, stream ${(median(full.stream) / median(nice.stream)).toFixed(2)}×`,
);
