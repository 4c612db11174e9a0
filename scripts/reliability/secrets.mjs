#!/usr/bin/env node
// Secrets and admin surface: a dedicated PostgreSQL role with a random password; calls with
// valid, revoked, unknown and malformed keys; every admin REST endpoint with a non-admin key;
// a staff key trying to issue a secret for another user; SQL injection payloads through every
// REST filter. Verdict: no API key or the database password in server output (debug level),
// request_logs, gRPC error messages or REST responses; admin endpoints refuse the non-admin
// key, and staff keys get no secret of another user; injections get 400 or empty results and
// the tables survive.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { echo, rawClient } from "./lib/grpc-calls.mjs";
import { runScenario } from "./lib/harness.mjs";
import {
  createKey,
  grpcCfg,
  monitorRequest,
  prepareDatabase,
  sqlClient,
  startServe,
  stopServe,
} from "./lib/stack.mjs";

const psql = (sql) =>
  execFileSync("su", ["postgres", "-c", `psql -qtAc "${sql}"`], { encoding: "utf8" });

await runScenario("secrets", async (s) => {
  const password = `pw${randomBytes(12).toString("hex")}`;
  psql("DROP DATABASE IF EXISTS grpc_cfg_rel_secrets WITH (FORCE)");
  psql("DROP ROLE IF EXISTS grpc_cfg_rel_secret");
  psql(`CREATE ROLE grpc_cfg_rel_secret LOGIN PASSWORD '${password}'`);
  psql("CREATE DATABASE grpc_cfg_rel_secrets OWNER grpc_cfg_rel_secret");
  const url = `postgres://grpc_cfg_rel_secret:${password}@127.0.0.1:5432/grpc_cfg_rel_secrets`;
  const { env, keys } = prepareDatabase("unused", { url });
  const admin = keys[0].key;
  grpcCfg(["users", "create", "plain"], env);
  const plain = createKey(env, "plain", "plain-key");
  const revoked = createKey(env, "rel", "revoked-key");
  grpcCfg(["keys", "revoke", String(revoked.id)], env);
  const secrets = [admin, plain.key, revoked.key, password];
  const server = await startServe({
    env: { ...env, GRPC_CFG_LOG_LEVEL: "debug" },
    name: "secrets server",
  });
  s.cleanups.push(() => stopServe(server));
  const leaks = (text) => secrets.filter((secret) => text.includes(secret)).length;
  const seen = [];

  const client = rawClient(server.port);
  s.cleanups.push(() => client.close());
  for (const key of [admin, plain.key, revoked.key, `${admin.slice(0, -3)}xyz`, "gcfg_short", ""]) {
    const r = await echo(client, key);
    seen.push(`${r.codeName} ${r.details}`);
  }
  s.figure(
    "gRPC answers (valid, valid, revoked, bad checksum, malformed, none)",
    seen.map((x) => x.split(" ")[0]),
  );

  const gets = [
    "/api/monitor/health",
    "/api/monitor/overview",
    "/api/monitor/methods",
    "/api/monitor/timeline",
    "/api/monitor/requests",
    "/api/services",
    "/api/services/bench.v1.EchoService",
    "/api/servers",
    "/api/api-keys",
    `/api/api-keys/${plain.id}`,
    `/api/api-keys/${plain.id}/stats`,
    "/metrics",
  ];
  const posts = [
    "/api/api-keys",
    `/api/api-keys/${plain.id}/revoke`,
    `/api/api-keys/${plain.id}/rotate`,
  ];
  const refusedFor = [];
  for (const [method, route] of [
    ...gets.map((g) => ["GET", g]),
    ...posts.map((p) => ["POST", p]),
  ]) {
    const body = method === "POST" ? { name: "x", user: "plain" } : undefined;
    for (const key of [plain.key, undefined]) {
      const r = await monitorRequest(server.monitorUrl, route, { key, method, body });
      seen.push(r.text);
      if (r.status !== 401 && r.status !== 403)
        refusedFor.push(`${method} ${route} ${key ? "non-admin" : "no key"} → ${r.status}`);
    }
    if (method === "GET")
      seen.push((await monitorRequest(server.monitorUrl, route, { key: admin })).text);
  }
  s.check(
    `admin endpoints refuse non-admin and missing keys (${gets.length + posts.length} routes × 2)`,
    refusedFor.length === 0,
    refusedFor.join("; "),
  );

  // The admin key is staff, not superuser: it must not obtain a secret that acts as another
  // user (a superuser's, in a real deployment), by creating or by rotating their key.
  const issued = [
    await monitorRequest(server.monitorUrl, "/api/api-keys", {
      key: admin,
      method: "POST",
      body: { name: "borrowed", user: "plain" },
    }),
    await monitorRequest(server.monitorUrl, `/api/api-keys/${plain.id}/rotate`, {
      key: admin,
      method: "POST",
    }),
  ];
  seen.push(...issued.map((r) => r.text));
  s.check(
    "staff keys cannot issue secrets for other users (create, rotate → 403)",
    issued.every((r) => r.status === 403 && r.body?.secret === undefined),
    issued.map((r) => r.status).join(", "),
  );

  const payloads = [
    "' OR '1'='1",
    "1; DROP TABLE request_logs; --",
    '" OR 1=1 --',
    "x' UNION SELECT key_hash FROM api_keys --",
    "%' OR 1=1 --",
    "1)) OR ((1=1",
  ];
  const filters = [
    ...[
      "service",
      "method",
      "status",
      "user",
      "api_key",
      "from",
      "to",
      "cursor",
      "page",
      "page_size",
    ].map((f) => ["/api/monitor/requests", f]),
    ["/api/api-keys", "user"],
    ["/api/api-keys", "include_revoked"],
    ["/api/monitor/methods", "service"],
    ["/api/monitor/methods", "hours"],
    ["/api/monitor/timeline", "service"],
    ["/api/monitor/timeline", "interval"],
    ["/api/monitor/overview", "hours"],
  ];
  const bad = [];
  let tried = 0;
  for (const payload of payloads) {
    for (const [route, field] of filters) {
      tried++;
      const r = await monitorRequest(
        server.monitorUrl,
        `${route}?${field}=${encodeURIComponent(payload)}`,
        { key: admin },
      );
      seen.push(r.text);
      // 200 must match nothing: no items, or only empty timeline buckets.
      const list = r.body?.items ?? r.body?.buckets ?? r.body?.timeline;
      const empty = Array.isArray(list) && list.every((x) => x.requests === 0);
      if (!([400, 404].includes(r.status) || (r.status === 200 && empty)))
        bad.push(`${route}?${field} → ${r.status} ${r.text.slice(0, 80)}`);
    }
    for (const route of [
      `/api/services/${encodeURIComponent(payload)}`,
      `/api/api-keys/${encodeURIComponent(payload)}`,
    ]) {
      tried++;
      const r = await monitorRequest(server.monitorUrl, route, { key: admin });
      seen.push(r.text);
      if (![400, 404].includes(r.status)) bad.push(`${route} → ${r.status}`);
    }
  }
  s.figure("SQL injection requests", tried);
  s.check(
    "injections get 400 / 404 or match nothing",
    bad.length === 0,
    bad.slice(0, 5).join("; "),
  );

  const code = await stopServe(server);
  s.check("server stops cleanly", code === 0, `exit ${code}`);
  const sql = sqlClient(url);
  s.cleanups.push(() => sql.end());
  const tables =
    await sql`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('request_logs','api_keys','users','server_instances')`;
  s.check("tables survive the injection attempts", tables[0].n === 4);
  const rows = await sql`SELECT row_to_json(l)::text AS row FROM request_logs l`;
  s.figure("request_logs rows scanned / server output bytes / REST+gRPC answers", [
    rows.length,
    server.output().length,
    seen.length,
  ]);
  s.check("no secret in server output (debug log level)", leaks(server.output()) === 0);
  s.check("no secret in request_logs rows", leaks(rows.map((r) => r.row).join("\n")) === 0);
  s.check("no secret in gRPC errors or REST responses", leaks(seen.join("\n")) === 0);
  const stored = await sql`SELECT row_to_json(k)::text AS row FROM api_keys k`;
  s.check(
    "api_keys rows hold no key in plain text",
    leaks(stored.map((r) => r.row).join("\n")) === 0,
  );
});
