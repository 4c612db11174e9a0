#!/usr/bin/env node
// Soak: SOAK_SECONDS (default 300) of mixed unary + server-streaming load at ~80 % of the
// measured saturation against `grpc-cfg serve` on PostgreSQL, with three API keys.
// Verdict: zero failed calls; request_logs rows == calls completed; each key's request_count
// == calls made with it; server RSS after warm-up grows < 10 %.
import { runScenario, sleep, waitFor } from "./lib/harness.mjs";
import { prepareDatabase, rssKb, runLoad, sqlClient, startServe, stopServe } from "./lib/stack.mjs";

const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const LOAD_SHARE = 0.8;

await runScenario("soak", async (s) => {
  const { url, env, keys } = prepareDatabase("grpc_cfg_rel_soak", { keyCount: 3 });
  const server = await startServe({ env, name: "soak server" });
  s.cleanups.push(() => stopServe(server));
  const sql = sqlClient(url);
  s.cleanups.push(() => sql.end());
  const callsByKey = new Map(keys.map((k) => [k.id, { sent: 0, ok: 0 }]));
  const account = (key, figures) => {
    const entry = callsByKey.get(key.id);
    entry.sent += figures.sent;
    entry.ok += figures.sentOk;
  };

  // Saturation: each mode alone, as fast as the calls in flight go, after 2 s of warm-up.
  const satUnary = await runLoad(server.port, {
    mode: "unary",
    concurrency: 32,
    duration: 5,
    warmup: 2,
    key: keys[0].key,
  });
  account(keys[0], satUnary);
  const satStream = await runLoad(server.port, {
    mode: "stream",
    concurrency: 16,
    duration: 5,
    warmup: 2,
    key: keys[2].key,
  });
  account(keys[2], satStream);
  s.figure("saturation unary calls/s", satUnary.rps);
  s.figure("saturation stream calls/s (20 msgs each)", satStream.rps);

  // Half the budget to unary (split over keys 1 and 2), half to streams (key 3): together
  // LOAD_SHARE of what the server can do.
  const unaryRate = Math.max(1, Math.round((satUnary.rps * LOAD_SHARE) / 4));
  const streamRate = Math.max(1, Math.round((satStream.rps * LOAD_SHARE) / 2));
  s.figure("soak seconds", SECONDS);
  s.figure("target rates (unary key1, unary key2, stream key3) calls/s", [
    unaryRate,
    unaryRate,
    streamRate,
  ]);

  const rss = [];
  let sampling = true;
  const sampler = (async () => {
    const every = Math.max(1000, Math.min(5000, (SECONDS * 1000) / 40));
    while (sampling) {
      rss.push({ t: performance.now(), kb: rssKb(server.pid) });
      await sleep(every);
    }
  })();
  const soakStart = performance.now();
  const runs = await Promise.all([
    runLoad(server.port, {
      mode: "unary",
      concurrency: 8,
      duration: SECONDS,
      rate: unaryRate,
      key: keys[0].key,
    }),
    runLoad(server.port, {
      mode: "unary",
      concurrency: 8,
      duration: SECONDS,
      rate: unaryRate,
      key: keys[1].key,
    }),
    runLoad(server.port, {
      mode: "stream",
      concurrency: 8,
      duration: SECONDS,
      rate: streamRate,
      key: keys[2].key,
    }),
  ]);
  sampling = false;
  await sampler;
  runs.forEach((figures, i) => account(keys[i], figures));
  s.figure(
    "soak achieved calls/s (unary, unary, stream)",
    runs.map((r) => r.rps),
  );
  s.figure(
    "soak p99 ms (unary, unary, stream)",
    runs.map((r) => r.p99Ms),
  );

  const totalSent = [...callsByKey.values()].reduce((n, e) => n + e.sent, 0);
  const totalOk = [...callsByKey.values()].reduce((n, e) => n + e.ok, 0);
  s.figure("calls completed", totalSent);
  s.check(
    "zero failed calls",
    totalOk === totalSent,
    `${totalSent - totalOk} failed of ${totalSent}`,
  );

  // RSS: warm-up is the first 20 % of the soak. The samples saw-tooth by ±10 % with the
  // garbage collector, so a few samples at either end can land on a peak and a trough: compare
  // the medians of the first and last quarter of the samples after warm-up (≥ 3 each).
  const warm = rss
    .filter((x) => x.t - soakStart >= SECONDS * 200 && x.kb !== null)
    .map((x) => x.kb);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const window = Math.max(3, Math.floor(warm.length / 4));
  const [first, last] = [warm.slice(0, window), warm.slice(-window)];
  const after = median(first);
  const end = median(last);
  const growth = (end - after) / after;
  s.figure(`RSS after warm-up / at end, medians of ${window} samples (MiB)`, [
    (after / 1024).toFixed(1),
    (end / 1024).toFixed(1),
  ]);
  // The lowest sample of each window: memory the collector could not free.
  s.figure("RSS floor after warm-up / at end (MiB)", [
    (Math.min(...first) / 1024).toFixed(1),
    (Math.min(...last) / 1024).toFixed(1),
  ]);
  s.figure(
    "RSS samples (MiB)",
    rss.map((x) => Math.round((x.kb ?? 0) / 1024)),
  );
  s.check("RSS growth after warm-up < 10 %", growth < 0.1, `${(growth * 100).toFixed(1)} %`);

  // Graceful stop flushes the log queue and the usage counters; then count.
  const code = await stopServe(server);
  s.check("server exits 0 on SIGTERM", code === 0, `exit ${code}`);
  const rows =
    (await waitFor(
      async () => {
        const [{ n }] = await sql`SELECT count(*)::int AS n FROM request_logs`;
        return n === totalSent ? n : null;
      },
      { timeoutMs: 5000 },
    )) ?? (await sql`SELECT count(*)::int AS n FROM request_logs`)[0].n;
  s.check(
    "request_logs rows == calls completed",
    rows === totalSent,
    `${rows} rows, ${totalSent} calls`,
  );
  const counts = await sql`SELECT id, request_count::int AS n FROM api_keys ORDER BY id`;
  for (const key of keys) {
    const stored = counts.find((r) => r.id === key.id)?.n;
    const made = callsByKey.get(key.id).sent;
    s.check(
      `key ${key.id} request_count == calls made with it`,
      stored === made,
      `${stored} stored, ${made} made`,
    );
  }
});
