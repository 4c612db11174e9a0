#!/usr/bin/env node
// Database faults: PostgreSQL is stopped for OUTAGE_SECONDS (10) under load, then started
// again. It runs on a private cluster (lib/private-cluster.mjs), so the outage is ours
// alone. Verdict: calls with an already-cached key keep succeeding; calls with a key the
// server has never seen (needs a database lookup) get UNAVAILABLE during the outage and OK
// after it; the server never exits; the log rows buffered during
// the outage arrive after recovery (dropped ones counted with the sink's own figure).
import { echo, healthCheck, rawClient } from "./lib/grpc-calls.mjs";
import { runScenario, sleep } from "./lib/harness.mjs";
import * as cluster from "./lib/private-cluster.mjs";
import {
  createKey,
  monitorRequest,
  prepareDatabase,
  runLoad,
  sqlClient,
  startServe,
  stopServe,
} from "./lib/stack.mjs";

const OUTAGE_SECONDS = Number(process.env.OUTAGE_SECONDS ?? 10);
await runScenario("db-faults", async (s) => {
  // First, so it also runs when creating the cluster or starting the server fails, and
  // last, after the server has stopped.
  s.cleanups.push(() => cluster.drop());
  const { url, env, keys } = prepareDatabase("grpc_cfg_rel_dbfault", {
    url: cluster.createPrivateCluster("grpc_cfg_rel_dbfault"),
  });
  const cached = keys[0].key;
  const fresh = [createKey(env, "rel", "never-used-1"), createKey(env, "rel", "never-used-2")];
  // Key cache longer than the outage, so the cached key stays cached throughout.
  const server = await startServe({
    env,
    name: "db-fault server",
    config: { auth: { keyCacheTtlMs: 120_000 } },
  });
  s.cleanups.push(() => stopServe(server));
  // Up again before the server stops, so it can flush what it holds.
  s.cleanups.push(() => cluster.start());
  const client = rawClient(server.port);
  s.cleanups.push(() => client.close());
  const warm = await echo(client, cached);
  s.check("cached key works before the outage", warm.code === 0, warm.codeName);

  const total = 3 + OUTAGE_SECONDS + 12;
  const load = runLoad(server.port, {
    mode: "unary",
    concurrency: 8,
    duration: total,
    rate: 200,
    key: cached,
    deadline: 5000,
  });
  const probes = [];
  let phase = "before";
  const prober = (async () => {
    const started = performance.now();
    while (performance.now() - started < total * 1000) {
      const health = await healthCheck(server.port);
      // A failed lookup is not cached, so fresh[0] stays uncached for the whole outage.
      const key = { before: cached, outage: fresh[0].key, after: fresh[1].key }[phase];
      const uncached = await echo(client, key);
      probes.push({
        phase,
        health,
        uncached: uncached.codeName,
        ms: uncached.ms,
        alive: server.child.exitCode === null,
      });
      await sleep(500);
    }
  })();

  await sleep(3000);
  phase = "outage";
  cluster.stop();
  const stoppedAt = performance.now();
  await sleep(OUTAGE_SECONDS * 1000);
  cluster.start();
  s.figure("database down (s)", ((performance.now() - stoppedAt) / 1000).toFixed(1));
  phase = "after";
  const [figures] = await Promise.all([load, prober]);

  const during = probes.filter((p) => p.phase === "outage");
  const after = probes.filter((p) => p.phase === "after");
  const count = (list, field) =>
    list.reduce((t, p) => ({ ...t, [p[field]]: (t[p[field]] ?? 0) + 1 }), {});
  s.figure("cached-key load: calls / codes", [figures.sent, figures.sentCodes]);
  s.figure("uncached-key probes during outage", count(during, "uncached"));
  s.figure("uncached-key probes after recovery", count(after, "uncached"));
  s.figure("health during outage", count(during, "health"));
  const slowest = (list) => Math.round(Math.max(0, ...list.map((p) => p.ms)));
  const [slowestDuring, slowestAfter] = [slowest(during), slowest(after)];
  s.figure("slowest uncached-key probe during outage / after recovery (ms)", [
    slowestDuring,
    slowestAfter,
  ]);
  s.check(
    "cached-key calls keep succeeding",
    figures.sent > 0 && figures.sentOk === figures.sent,
    JSON.stringify(figures.sentCodes),
  );
  s.check(
    "uncached key gets UNAVAILABLE during the outage",
    during.length > 0 && during.every((p) => p.uncached === "UNAVAILABLE"),
    JSON.stringify(count(during, "uncached")),
  );
  // The pool's reconnect delay is capped (store: reconnectDelaySeconds), so an outage is
  // answered quickly and the database is used again as soon as it is back.
  s.check("outage answered within 2 s", slowestDuring < 2000, `${slowestDuring} ms`);
  s.check(
    "every new-key call after recovery works",
    after.length > 0 && after.every((p) => p.uncached === "OK"),
    JSON.stringify(count(after, "uncached")),
  );
  s.check("server never exits", probes.every((p) => p.alive) && server.child.exitCode === null);

  // Every call made: load + probes (health checks are logged like any other call).
  const { body } = await monitorRequest(server.monitorUrl, "/api/monitor/health", { key: cached });
  const sink = body?.logSink ?? null;
  s.figure(
    "log sink after recovery (queued / dropped / written)",
    sink ? [sink.queued, sink.dropped, sink.written] : "n/a",
  );
  const code = await stopServe(server);
  s.check("server stops cleanly after the outage", code === 0, `exit ${code}`);
  const sql = sqlClient(url);
  s.cleanups.push(() => sql.end());
  const byMethod = await sql`SELECT method, count(*)::int AS n FROM request_logs GROUP BY method`;
  const rows = byMethod.find((r) => r.method === "Echo")?.n ?? 0;
  const calls = figures.sent + 1 + probes.length;
  const dropped = sink?.dropped ?? 0;
  s.figure("log rows by method", Object.fromEntries(byMethod.map((r) => [r.method, r.n])));
  s.figure("Echo log rows / Echo calls made / dropped by the sink", [rows, calls, dropped]);
  s.check(
    "buffered log rows arrive after recovery (Echo rows + dropped == Echo calls)",
    rows + dropped === calls,
    `${rows} + ${dropped} vs ${calls}`,
  );
});
