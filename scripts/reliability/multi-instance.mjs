#!/usr/bin/env node
// Several instances: two `grpc-cfg serve` processes on different ports sharing one
// PostgreSQL database. Verdict: both listed running by /api/servers; a key revoked through
// instance A's REST API is refused by instance B within 2 s (measured, B had it cached);
// request logs from both instances land in the one request_logs table.
import { echo, rawClient } from "./lib/grpc-calls.mjs";
import { runScenario, sleep } from "./lib/harness.mjs";
import {
  createKey,
  monitorRequest,
  prepareDatabase,
  sqlClient,
  startServe,
  stopServe,
} from "./lib/stack.mjs";

await runScenario("multi-instance", async (s) => {
  const { url, env, keys } = prepareDatabase("grpc_cfg_rel_multi");
  const admin = keys[0].key;
  const victim = createKey(env, "rel", "to-revoke");
  const sql = sqlClient(url);
  s.cleanups.push(() => sql.end());
  const a = await startServe({ env, name: "instance A" });
  s.cleanups.push(() => stopServe(a));
  const b = await startServe({ env, name: "instance B" });
  s.cleanups.push(() => stopServe(b));
  s.figure("ports (A, B)", [a.port, b.port]);

  const { body } = await monitorRequest(a.monitorUrl, "/api/servers", { key: admin });
  const servers = body?.items ?? body ?? [];
  const running = servers.filter((x) => x.status === "running" && [a.pid, b.pid].includes(x.pid));
  s.check(
    "both instances listed running in /api/servers (asked A)",
    running.length === 2,
    JSON.stringify(servers.map((x) => [x.pid, x.address, x.status])),
  );

  const clientA = rawClient(a.port);
  const clientB = rawClient(b.port);
  s.cleanups.push(() => (clientA.close(), clientB.close()));
  for (let i = 0; i < 20; i++) {
    await echo(clientA, admin);
    await echo(clientB, admin);
  }
  const warm = await echo(clientB, victim.key);
  s.check(
    "key works on B before the revocation (now cached there)",
    warm.code === 0,
    warm.codeName,
  );

  const revokedAt = performance.now();
  const revoke = await monitorRequest(a.monitorUrl, `/api/api-keys/${victim.id}/revoke`, {
    key: admin,
    method: "POST",
    body: {},
  });
  s.check("revoke through A's REST API succeeds", revoke.status === 200, `HTTP ${revoke.status}`);
  let refusedAfter = null;
  let last = null;
  while (performance.now() - revokedAt < 5000) {
    last = await echo(clientB, victim.key);
    if (last.code !== 0) {
      refusedAfter = performance.now() - revokedAt;
      break;
    }
    await sleep(10);
  }
  s.figure(
    "revocation on A → refused by B (ms)",
    refusedAfter === null ? "not within 5 s" : Math.round(refusedAfter),
  );
  s.check(
    "B refuses the revoked key within 2 s",
    refusedAfter !== null && refusedAfter < 2000,
    last?.codeName,
  );
  s.check("refusal is UNAUTHENTICATED", last?.codeName === "UNAUTHENTICATED", last?.details);

  await Promise.all([stopServe(a), stopServe(b)]);
  const perInstance = await sql`SELECT i.port, count(l.id)::int AS n FROM server_instances i
    LEFT JOIN request_logs l ON l.server_instance_id = i.id GROUP BY i.port ORDER BY i.port`;
  s.figure("log rows per instance port", Object.fromEntries(perInstance.map((r) => [r.port, r.n])));
  s.check(
    "logs from both instances in one table",
    perInstance.filter((r) => r.n >= 20).length === 2,
  );
});
