#!/usr/bin/env node
// `npm run bench`: throughput and latency of the full grpc-cfg stack (API-key auth, request
// logs to PostgreSQL, error mapping) against bare nice-grpc and bare @grpc/grpc-js, the same
// echo service, one load-generator process on loopback, runs interleaved, median of ROUNDS.
// Rounds alternate the servers' order (A B C, C B A, …), and the ratios are medians of each
// round's own ratio: on a shared machine the speed drifts between rounds, and comparing runs
// seconds apart cancels most of that drift.
// Also: database transactions per call on the hot path, and time from `grpc-cfg serve` to
// the first successful call on PostgreSQL and on the embedded database.
//
// Every round starts all three servers afresh: one process of the same server can run 10 %
// faster or slower than the next for its whole life (where its memory and threads landed),
// and with one process per server a whole run's ratio moved from 0.77 to 0.86 between two
// runs of the same code. Each round's fresh servers first get the same unmeasured warm-up
// (BENCH_WARMUP_SECONDS), so a round measures serving rather than compiling.
//
// Env: BENCH_ROUNDS (5), BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (3), BENCH_CONCURRENCY (32),
// GRPC_CFG_BENCH_DATABASE_URL,
// BENCH_SERVER_NODE_OPTIONS: NODE_OPTIONS for all three servers alike (e.g.
// `--max-semi-space-size=64`, see "Garbage collection" in docs/performance.md); the load client
// never gets them. BENCH_FULL_NODE_OPTIONS: NODE_OPTIONS for the full stack only (default: the
// same as the others), to try a deployment setting against bare servers on Node's defaults.
import grpc from "@grpc/grpc-js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { bareServer, fullStackServer, prepareBenchApp, startSpec } from "./bench-app.mjs";
import { transactions } from "./postgres.mjs";
import { runLoad, stopServer } from "./processes.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const SERVER_NODE_OPTIONS = process.env.BENCH_SERVER_NODE_OPTIONS ?? "";
// Every server gets the same Node options: the comparison stays like for like.
const FULL_NODE_OPTIONS = process.env.BENCH_FULL_NODE_OPTIONS ?? SERVER_NODE_OPTIONS;
const serverEnv = (extra = {}, nodeOptions = SERVER_NODE_OPTIONS) => ({
  ...process.env,
  ...extra,
  NODE_OPTIONS: nodeOptions,
});
const DB_NAME = "grpc_cfg_bench";

const log = (line) => process.stdout.write(`${line}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

log(
  `grpc-cfg benchmark: ${WARMUP_SECONDS}s warm-up, then ${ROUNDS} interleaved rounds × ${SECONDS}s, ${CONCURRENCY} calls in flight, node ${process.version}, server NODE_OPTIONS "${SERVER_NODE_OPTIONS}", full stack "${FULL_NODE_OPTIONS}"`,
);
const { env, key } = prepareBenchApp(DB_NAME);

// How each server is started; every round starts all of them afresh (see the header).
const serverSpecs = [
  bareServer("bare @grpc/grpc-js", "bare-grpc-js.ts", serverEnv()),
  bareServer("bare nice-grpc", "bare-nice-grpc.ts", serverEnv()),
  fullStackServer(serverEnv(env, FULL_NODE_OPTIONS)),
];
const FULL = serverSpecs[2].name;
const headers = [`x-api-key=${key}`];
const results = new Map(serverSpecs.map((s) => [s.name, { unary: [], stream: [] }]));
let fullCalls = 0;
let fullTransactions = 0;
const load = async (server, mode, duration) => {
  const figures = await runLoad(server.port, { mode, concurrency: CONCURRENCY, duration, headers });
  // Every unary call the full stack served, warm-up included, may cost queries: all count.
  if (server.name === FULL && mode === "unary") fullCalls += figures.sent;
  return figures;
};
for (const mode of ["unary", "stream"]) {
  const transactionsBefore = mode === "unary" ? transactions(DB_NAME) : 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const servers = await Promise.all(serverSpecs.map(startSpec));
    try {
      // Same warm-up for every server, then the measured runs in alternating order.
      for (const server of WARMUP_SECONDS > 0 ? servers : []) {
        await load(server, mode, WARMUP_SECONDS);
      }
      for (const server of round % 2 === 1 ? servers : [...servers].reverse()) {
        const figures = await load(server, mode, SECONDS);
        if (figures.errors > 0)
          throw new Error(
            `${server.name}: ${figures.errors} failed calls ${JSON.stringify(figures.codes)}`,
          );
        results.get(server.name)[mode].push(figures);
        log(
          `  ${mode} round ${round} ${server.name.padEnd(22)} ${String(figures.rps).padStart(6)} calls/s  ${String(figures.mps).padStart(7)} msgs/s  p50 ${figures.p50Ms} ms  p99 ${figures.p99Ms} ms`,
        );
      }
    } finally {
      await Promise.all(servers.map((server) => stopServer(server)));
    }
  }
  if (mode === "unary") {
    // Let PostgreSQL publish its per-database counters (it does so lazily, up to ~10 s late)
    // before reading; the full stacks flushed their logs and usage counters as they stopped.
    // The reading itself is one transaction. What the full stacks' starts and stops cost is
    // counted too, so the figure errs high.
    await new Promise((r) => setTimeout(r, 11_000));
    fullTransactions = transactions(DB_NAME) - transactionsBefore - 1;
  }
}

const summary = (name, mode) => {
  const runs = results.get(name)[mode];
  return {
    rps: median(runs.map((r) => r.rps)),
    mps: median(runs.map((r) => r.mps)),
    p50: median(runs.map((r) => r.p50Ms)),
    p99: median(runs.map((r) => r.p99Ms)),
  };
};
log("\nMedians");
log("| server | unary calls/s | unary p50 ms | unary p99 ms | stream msgs/s | stream p99 ms |");
log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const { name } of serverSpecs) {
  const u = summary(name, "unary");
  const s = summary(name, "stream");
  log(`| ${name} | ${u.rps} | ${u.p50} | ${u.p99} | ${s.mps} | ${s.p99} |`);
}
const nice = { u: summary("bare nice-grpc", "unary"), s: summary("bare nice-grpc", "stream") };
const cfg = { u: summary(FULL, "unary"), s: summary(FULL, "stream") };
// The median over rounds of each round's full-stack / nice-grpc ratio, and every round's.
const roundRatios = (mode, field) => {
  const a = results.get(FULL)[mode];
  const b = results.get("bare nice-grpc")[mode];
  return a.map((r, i) => r[field] / b[i][field]);
};
const round2 = (x) => Math.round(x * 100) / 100;
const pairedRatio = (mode, field) => {
  const ratios = roundRatios(mode, field);
  return { median: round2(median(ratios)), each: ratios.map(round2).join(", ") };
};
const verdict = (ok) => (ok ? "meets goal" : "MISSES goal");
const rps = pairedRatio("unary", "rps");
const p99 = pairedRatio("unary", "p99Ms");
const mps = pairedRatio("stream", "mps");
const [rpsRatio, p99Ratio, mpsRatio] = [rps.median, p99.median, mps.median];
const perCall = fullCalls > 0 ? Math.round((fullTransactions / fullCalls) * 10000) / 10000 : NaN;
log("\nFull stack vs bare nice-grpc (median of the rounds' own ratios; each round's in brackets)");
log(
  `  unary calls/s ratio  ${rpsRatio}  (goal ≥ 0.85: ${verdict(rpsRatio >= 0.85)})  [${rps.each}]`,
);
log(
  `  unary p99 ratio      ${p99Ratio}  (goal ≤ 1.25: ${verdict(p99Ratio <= 1.25)})  [${p99.each}]`,
);
log(`  stream msgs/s ratio  ${mpsRatio}  (goal ≥ 0.9: ${verdict(mpsRatio >= 0.9)})  [${mps.each}]`);
log(
  `  database transactions per call on the hot path: ${perCall} (${fullTransactions} over ${fullCalls} calls; goal ≤ 0.02: ${verdict(perCall <= 0.02)})`,
);

// Time from `grpc-cfg serve` to the first successful call, on each database.
log("\nTime from `grpc-cfg serve` to the first successful call");
for (const [label, dbEnv] of [
  ["PostgreSQL", env],
  [
    "embedded PGlite (fresh data dir)",
    { GRPC_CFG_DATA_DIR: mkdtempSync(path.join(tmpdir(), "grpc-cfg-bench-")) },
  ],
]) {
  const t0 = performance.now();
  const server = await startSpec({
    ...fullStackServer({ ...process.env, ...dbEnv }),
    name: `serve (${label})`,
  });
  // A raw grpc.health.v1 Check (empty request) from this process, retried every 20 ms.
  const client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  let ok = false;
  while (!ok && performance.now() - t0 < 120_000) {
    ok = await new Promise((resolve) =>
      client.makeUnaryRequest(
        "/grpc.health.v1.Health/Check",
        (b) => b,
        (b) => b,
        Buffer.alloc(0),
        (error) => resolve(!error),
      ),
    );
    if (!ok) await new Promise((r) => setTimeout(r, 20));
  }
  client.close();
  log(
    `  ${label}: ${ok ? `${Math.round(performance.now() - t0)} ms` : "no successful call within 120 s"}`,
  );
  await stopServer(server);
  if (dbEnv.GRPC_CFG_DATA_DIR) rmSync(dbEnv.GRPC_CFG_DATA_DIR, { recursive: true, force: true });
}
