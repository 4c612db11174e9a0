#!/usr/bin/env node
// `--workers N`: unary throughput of `grpc-cfg serve --workers 2` against `--workers 1` on
// PostgreSQL, same load client, ROUNDS interleaved rounds. Verdict: both serve every call
// (zero failures); the 2/1 ratio is reported (on a 2-core machine the two load-client
// processes compete for the same cores, so the ratio is a figure, not a pass mark).
import { runScenario, waitFor } from "./lib/harness.mjs";
import { prepareDatabase, runLoad, startServe, stopServe } from "./lib/stack.mjs";

const ROUNDS = Number(process.env.WORKERS_ROUNDS ?? 2);
const SECONDS = Number(process.env.WORKERS_SECONDS ?? 6);

await runScenario("workers", async (s) => {
  const { env, keys } = prepareDatabase("grpc_cfg_rel_workers");
  const key = keys[0].key;
  const noMonitor = { monitor: { enabled: false } };
  const one = await startServe({
    env,
    name: "1 worker",
    config: noMonitor,
    args: ["--workers", "1"],
  });
  s.cleanups.push(() => stopServe(one));
  const two = await startServe({
    env,
    name: "2 workers",
    config: noMonitor,
    args: ["--workers", "2"],
  });
  s.cleanups.push(() => stopServe(two));
  const line = await waitFor(
    () => /grpc-cfg: 2 workers \(pids \d+, \d+\).*/.exec(two.output())?.[0],
    { timeoutMs: 15_000 },
  );
  s.check("2-worker server reports two worker processes", line !== null, line ?? two.output());

  const rps = { 1: [], 2: [] };
  let failed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [n, server] of [
      [1, one],
      [2, two],
    ]) {
      // Two load processes = two HTTP/2 connections: node:cluster balances connections,
      // not calls, so one connection would only ever reach one worker.
      const both = await Promise.all(
        [0, 1].map(() =>
          runLoad(server.port, {
            mode: "unary",
            concurrency: 32,
            duration: SECONDS,
            warmup: 1,
            key,
          }),
        ),
      );
      for (const figures of both) failed += figures.sent - figures.sentOk;
      rps[n].push(both[0].rps + both[1].rps);
    }
  }
  const best = (xs) => Math.max(...xs);
  s.figure("calls/s with --workers 1 (per round)", rps[1]);
  s.figure("calls/s with --workers 2 (per round)", rps[2]);
  s.figure("ratio 2 workers / 1 worker (best rounds)", (best(rps[2]) / best(rps[1])).toFixed(2));
  s.check("zero failed calls with 1 and 2 workers", failed === 0, `${failed} failed`);
  const codes = await Promise.all([stopServe(one), stopServe(two)]);
  s.check(
    "both stop cleanly on SIGTERM",
    codes.every((c) => c === 0),
    `exits ${codes.join(", ")}`,
  );
});
