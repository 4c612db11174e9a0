#!/usr/bin/env node
// Bad input: hand-made gRPC requests (garbage, bad length prefixes, truncated and invalid
// messages, oversized messages, unknown methods, odd and huge headers), 10 000 calls with
// malformed keys and 10 000 with well-formed but unknown keys (PostgreSQL transactions
// counted through pg_stat_database), 4 000 made-up keys at once (past the key-lookup bound),
// and slow clients that never read their stream.
// Verdict: the right status for each, never a hang, the server answers a health check after
// every case, and its memory stays bounded.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { transactions } from "../bench/postgres.mjs";
import { badFrameCases, junk } from "./lib/bad-frames.mjs";
import { echo, echoRequest, healthCheck, rawClient } from "./lib/grpc-calls.mjs";
import { runScenario, sleep, waitFor } from "./lib/harness.mjs";
import { frame, rawRequest } from "./lib/raw-http2.mjs";
import { prepareDatabase, repo, rssKb, sqlClient, startServe, stopServe } from "./lib/stack.mjs";

const DB = "grpc_cfg_rel_badinput";
const ECHO = "/bench.v1.EchoService/Echo";
const CALLS = Number(process.env.BAD_KEY_CALLS ?? 10_000);
const FLOOD = 4_000;
const MiB = 1024 * 1024;
const { generateKey } = await import(
  pathToFileURL(path.join(repo, "packages/store/dist/api-keys/key-format.js")).href
);

await runScenario("bad-input", async (s) => {
  const { env, keys } = prepareDatabase(DB);
  const key = keys[0].key;
  const server = await startServe({
    env,
    name: "bad-input server",
    config: { monitor: { enabled: false } },
  });
  s.cleanups.push(() => stopServe(server));
  const auth = { "x-api-key": key };
  const cases = badFrameCases();
  const table = {};
  // Request id → the gRPC status the case was answered with: each of those calls, whether a
  // handler or grpc-js itself answered it, must have exactly one log row with that status.
  const answered = new Map();
  for (const [index, [label, request, expected]] of cases.entries()) {
    const requestId = `bad-frame-${index}`;
    const headers = { ...auth, "x-request-id": requestId, ...request.headers };
    const r = await rawRequest(server.port, { path: ECHO, ...request, headers });
    if (r.grpcStatus !== null) answered.set(requestId, r.grpcStatus);
    const health = await healthCheck(server.port);
    table[label] =
      `grpc-status ${r.grpcStatus} http ${r.httpStatus}${r.rstCode ? ` rst ${r.rstCode}` : ""}${r.error ? ` ${r.error}` : ""}${r.timedOut ? " TIMEOUT" : ""}`;
    s.check(
      `${label}: ${table[label]}; health ${health}`,
      !r.timedOut && expected(r) && health === "SERVING",
    );
  }
  s.check("server still running after the bad frames", server.child.exitCode === null);
  const sql = sqlClient(env.DATABASE_URL);
  s.cleanups.push(() => sql.end());
  const frameRows = () =>
    sql`SELECT request_id, grpc_code FROM request_logs WHERE request_id LIKE 'bad-frame-%'`;
  await waitFor(async () => (await frameRows()).length >= answered.size);
  const rows = await frameRows();
  const problems = [...answered]
    .map(([id, code]) => [id, code, rows.filter((row) => row.request_id === id)])
    .filter(([, code, mine]) => mine.length !== 1 || mine[0].grpc_code !== code)
    .map(([id, code, mine]) => `${id}: ${mine.length} rows (want 1 with code ${code})`);
  for (const row of rows) {
    if (!answered.has(row.request_id)) problems.push(`${row.request_id}: row without a status`);
  }
  s.figure(
    "bad frames answered with a gRPC status / their log rows",
    `${answered.size} / ${rows.length}`,
  );
  s.check(
    "every bad frame answered with a gRPC status has exactly one log row with that status",
    problems.length === 0,
    problems.join("; "),
  );

  // Keys: malformed ones must be refused without a database query.
  const client = rawClient(server.port);
  s.cleanups.push(() => client.close());
  const hammer = async (label, keyFor) => {
    const before = transactions(DB);
    const codes = {};
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < CALLS) {
          const i = next++;
          const r = await echo(client, keyFor(i));
          codes[r.codeName] = (codes[r.codeName] ?? 0) + 1;
        }
      }),
    );
    // Backends report their counters to pg_stat_database lazily (up to ~10 s when idle).
    await sleep(11_000);
    const used = transactions(DB) - before - 1;
    s.figure(`${label}: codes`, codes);
    s.figure(
      `${label}: PostgreSQL transactions (per call)`,
      `${used} (${(used / CALLS).toFixed(4)})`,
    );
    s.check(
      `${label}: all ${CALLS} UNAUTHENTICATED`,
      codes.UNAUTHENTICATED === CALLS,
      JSON.stringify(codes),
    );
    return used / CALLS;
  };
  await sleep(11_000);
  const malformed = await hammer("malformed keys", (i) =>
    i % 2
      ? `gcfg_${junk(49, i + 1)
          .toString("base64url")
          .slice(0, 49)}`
      : `not-a-key-${i}`,
  );
  // Log rows go out in batches of 500; a few heartbeats/usage flushes ride along.
  s.check(
    "malformed keys cause no per-call query (< 0.02 transactions per call)",
    malformed < 0.02,
    malformed.toFixed(4),
  );
  const unknownKeys = Array.from({ length: CALLS }, () => generateKey().key);
  const unknown = await hammer("well-formed unknown keys (all distinct)", (i) => unknownKeys[i]);
  s.figure("well-formed unknown keys: transactions per call", unknown.toFixed(3));
  const sameUnknown = generateKey().key;
  const repeated = await hammer("one well-formed unknown key repeated", () => sameUnknown);
  s.check(
    "a repeated unknown key is answered from the negative cache (< 0.02 tx per call)",
    repeated < 0.02,
    repeated.toFixed(4),
  );
  const ok = await echo(client, key);
  s.check("valid key still works", ok.code === 0, ok.codeName);

  // Made-up keys all at once, far more than the lookup bound (4 running + 1024 waiting): the
  // excess is refused UNAVAILABLE at once, and a cached key is served throughout.
  const floodKeys = Array.from({ length: FLOOD }, () => generateKey().key);
  const floodCodes = {};
  const during = { ok: 0, other: 0 };
  let flooding = true;
  const cachedLoop = (async () => {
    while (flooding) {
      const r = await echo(client, key);
      during[r.code === 0 ? "ok" : "other"] += 1;
    }
  })();
  await Promise.all(
    floodKeys.map(async (k) => {
      const r = await echo(client, k);
      floodCodes[r.codeName] = (floodCodes[r.codeName] ?? 0) + 1;
    }),
  );
  flooding = false;
  await cachedLoop;
  const shedWarnings = server
    .output()
    .split("\n")
    .filter((l) => l.includes("lookups shed"));
  s.figure(`${FLOOD} made-up keys at once: codes`, floodCodes);
  s.figure("cached-key calls during the flood (ok / not ok)", [during.ok, during.other]);
  s.figure("shed warnings in the server log", shedWarnings.length);
  s.check(
    "flood: only UNAUTHENTICATED or UNAVAILABLE, and some refused UNAVAILABLE",
    Object.keys(floodCodes).every((c) => c === "UNAUTHENTICATED" || c === "UNAVAILABLE") &&
      floodCodes.UNAVAILABLE > 0,
    JSON.stringify(floodCodes),
  );
  s.check(
    "flood: a cached key keeps working",
    during.ok > 0 && during.other === 0,
    JSON.stringify(during),
  );
  s.check(
    "flood: shed calls are reported, not logged one by one (≤ 3 warnings)",
    shedWarnings.length >= 1 && shedWarnings.length <= 3,
    String(shedWarnings.length),
  );

  // Slow clients: 20 streams of 20 000 × 1 KB that are never read, held for 6 s.
  const rssBefore = rssKb(server.pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssKb(server.pid) ?? 0)), 200);
  const slow = await Promise.all(
    Array.from({ length: 20 }, () =>
      rawRequest(server.port, {
        path: "/bench.v1.EchoService/Stream",
        headers: auth,
        body: frame(echoRequest("s".repeat(1000), 20_000)),
        timeoutMs: 6000,
        read: false,
      }),
    ),
  );
  await sleep(2000);
  clearInterval(sampler);
  const rssAfter = rssKb(server.pid);
  s.figure(
    "slow clients: RSS before / peak / after (MiB)",
    [rssBefore, rssPeak, rssAfter].map((kb) => Math.round(kb / 1024)),
  );
  s.figure(
    "slow clients: streams held open until the client gave up",
    slow.filter((r) => r.timedOut).length,
  );
  s.check(
    "slow clients: peak RSS grows < 150 MiB (400 MiB was offered)",
    rssPeak - rssBefore < 150 * 1024,
    `${Math.round((rssPeak - rssBefore) / 1024)} MiB`,
  );
  const health = await healthCheck(server.port);
  s.check("server answers health after the slow clients", health === "SERVING", health);
  const code = await stopServe(server);
  s.check("server stops cleanly", code === 0, `exit ${code}`);
});
