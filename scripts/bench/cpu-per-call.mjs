#!/usr/bin/env node
// Server CPU time per call: the same echo service on bare nice-grpc and on the full grpc-cfg
// stack, driven by the load client, with each server's user+system CPU read from
// /proc/<pid>/stat before and after every run, PostgreSQL's CPU over the same window, and the
// load client's own CPU (it reports it). Requests/s swing with whatever else the machine runs;
// CPU per call swings less, so this is the figure to compare changes with. It still differs
// from one process of a server to the next, so every round starts both servers afresh.
//
//   node scripts/bench/cpu-per-call.mjs            (Linux only: reads /proc)
//
// Env: BENCH_ROUNDS (3), BENCH_SECONDS (4), BENCH_WARMUP_SECONDS (3, per mode, unmeasured),
// BENCH_CONCURRENCY (32), GRPC_CFG_BENCH_DATABASE_URL,
// BENCH_CPU_PROF=<dir> to write V8 CPU profiles of the full-stack server into <dir> (one per round),
// BENCH_STREAM_COUNT (100) messages per stream: 1 shows what a stream costs, 1000 what a
// message costs, each with the other part thinned out.
import { bareServer, fullStackServer, prepareBenchApp, startSpec } from "./bench-app.mjs";
import { cpuMicros, postgresMicros } from "./proc-cpu.mjs";
import { runLoad, stopServer } from "./processes.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
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
  bareServer("bare nice-grpc", "bare-nice-grpc.ts"),
  fullStackServer({ ...process.env, ...env }, profileArgs),
];
const load = (server, mode, duration) =>
  runLoad(server.port, {
    mode,
    concurrency: CONCURRENCY,
    duration,
    count: STREAM_COUNT,
    headers: [`x-api-key=${key}`],
  });

log(
  `server CPU per call: ${ROUNDS} rounds × ${SECONDS}s after ${WARMUP_SECONDS}s warm-up, fresh servers per round, ${CONCURRENCY} in flight, ${STREAM_COUNT} messages per stream`,
);
const figures = new Map(
  servers.map((spec) => [spec.name, { unary: [], stream: [], pgUnary: [], pgStream: [] }]),
);
// A fresh process per server and round: one process of a server can run ~10 % faster or
// slower than the next for its whole life, so comparing one process of each would measure
// that luck (docs/performance.md, "Serving"). Order alternates between rounds.
for (let round = 1; round <= ROUNDS; round++) {
  for (const spec of round % 2 === 1 ? servers : [...servers].reverse()) {
    const { name } = spec;
    const server = await startSpec(spec);
    try {
      // Warm up (JIT, connections, key cache) so what is measured is the steady state.
      for (const mode of ["unary", "stream"]) await load(server, mode, WARMUP_SECONDS);
      for (const mode of ["unary", "stream"]) {
        const before = cpuMicros(server.child.pid);
        const pgBefore = postgresMicros();
        const result = await load(server, mode, SECONDS);
        // The load client counts calls in its measured window only; its `sent` counts every
        // call the server handled (warm-up and tail included), which is what the CPU paid for.
        const handled = result.sent ?? result.calls;
        const units = mode === "unary" ? handled : handled * STREAM_COUNT;
        const perUnit = (cpuMicros(server.child.pid) - before) / units;
        // PostgreSQL shares the machine's cores with the server and the client, so what it
        // spends writing log rows is throughput the server does not get.
        const pgPerUnit = (postgresMicros() - pgBefore) / units;
        const entry = figures.get(name);
        entry[mode].push(perUnit);
        entry[mode === "unary" ? "pgUnary" : "pgStream"].push(pgPerUnit);
        log(
          `  round ${round} ${mode.padEnd(6)} ${name.padEnd(20)} ${perUnit.toFixed(1).padStart(7)} µs CPU per ${mode === "unary" ? "call" : "message"}, PostgreSQL ${pgPerUnit.toFixed(1).padStart(5)}, client ${(result.cpuMicros / units).toFixed(1).padStart(5)}  (${result.rps} calls/s)`,
        );
      }
    } finally {
      await stopServer(server);
    }
  }
}

log("\nMedians (server CPU µs; PostgreSQL's CPU in the same window after the slash)");
for (const [name, f] of figures) {
  log(
    `  ${name.padEnd(20)} unary ${median(f.unary).toFixed(1)} / ${median(f.pgUnary).toFixed(1)} µs per call   stream ${median(f.stream).toFixed(2)} / ${median(f.pgStream).toFixed(2)} µs per message`,
  );
}
const [nice, full] = [...figures.values()];
// Each round's own ratio, then their median: the two servers of a round ran minutes apart at
// most, on the same state of the machine.
const ratios = (mode) => full[mode].map((value, i) => value / nice[mode][i]);
const listed = (xs) => xs.map((x) => x.toFixed(2)).join(", ");
log(
  `  full stack / nice-grpc, median of the rounds' ratios: unary ${median(ratios("unary")).toFixed(2)}× [${listed(ratios("unary"))}], stream ${median(ratios("stream")).toFixed(2)}× [${listed(ratios("stream"))}]`,
);
