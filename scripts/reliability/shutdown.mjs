#!/usr/bin/env node
// Graceful shutdown under load: SIGTERM while unary and streaming calls run. Verdict: calls
// already answering complete OK; calls started after SIGTERM end UNAVAILABLE (never a hang —
// every call has a 15 s deadline — nor any other status); every OK call has its log row; the
// instance row says stopped; exit code 0.
import { echoRequest, grpc, rawClient } from "./lib/grpc-calls.mjs";
import { runScenario, sleep } from "./lib/harness.mjs";
import { prepareDatabase, sqlClient, startServe, stopServe } from "./lib/stack.mjs";

const CONCURRENCY = 24;
const STREAM_MESSAGES = 2000;
// How long after SIGTERM the server may still accept a call: it first marks its instance row
// `stopping` (a database write) and only then closes the listener.
const SIGNAL_WINDOW_MS = 500;

await runScenario("shutdown", async (s) => {
  const { url, env, keys } = prepareDatabase("grpc_cfg_rel_shutdown");
  const server = await startServe({
    env,
    name: "shutdown server",
    config: { monitor: { enabled: false } },
  });
  s.cleanups.push(() => stopServe(server, "SIGKILL"));
  const sql = sqlClient(url);
  s.cleanups.push(() => sql.end());
  const client = rawClient(server.port);
  s.cleanups.push(() => client.close());
  const metadata = new grpc.Metadata();
  metadata.set("x-api-key", keys[0].key);

  const calls = [];
  let sigtermAt = Infinity;
  let running = true;
  const oneCall = (streaming) =>
    new Promise((resolve) => {
      const record = {
        streaming,
        start: performance.now(),
        firstMessageAt: null,
        end: null,
        code: null,
        details: "",
      };
      calls.push(record);
      const done = (error) => {
        if (record.end !== null) return;
        record.end = performance.now();
        record.code = error ? error.code : 0;
        record.details = error?.details ?? "";
        resolve();
      };
      const options = { deadline: Date.now() + 15_000 };
      if (!streaming) {
        client.makeUnaryRequest(
          "/bench.v1.EchoService/Echo",
          (b) => b,
          (b) => b,
          echoRequest("hi"),
          metadata,
          options,
          done,
        );
        return;
      }
      const call = client.makeServerStreamRequest(
        "/bench.v1.EchoService/Stream",
        (b) => b,
        (b) => b,
        echoRequest("x".repeat(200), STREAM_MESSAGES),
        metadata,
        options,
      );
      call.on("data", () => (record.firstMessageAt ??= performance.now()));
      call.on("error", done);
      call.on("end", () => done(null));
    });
  const workers = Array.from({ length: CONCURRENCY }, async (_, i) => {
    // Keep issuing calls until 3 s after SIGTERM (bounded: the server is gone by then).
    while (running) {
      await oneCall(i % 3 === 0);
      if (performance.now() > sigtermAt + 3000) break;
      if (performance.now() > sigtermAt) await sleep(20);
    }
  });

  await sleep(3000);
  sigtermAt = performance.now();
  server.child.kill("SIGTERM");
  const exitCode = await Promise.race([server.exit, sleep(30_000).then(() => "no exit in 30 s")]);
  const exitedAfterMs = Math.round(performance.now() - sigtermAt);
  await Promise.race([Promise.all(workers), sleep(25_000)]);
  running = false;

  const name = (code) => (code === null ? "HANG" : (grpc.status[code] ?? String(code)));
  const tally = (list) =>
    list.reduce((t, c) => ({ ...t, [name(c.code)]: (t[name(c.code)] ?? 0) + 1 }), {});
  const answering = calls.filter((c) => c.firstMessageAt !== null && c.firstMessageAt < sigtermAt);
  const before = calls.filter((c) => c.start < sigtermAt);
  // The signal takes a moment to act on (and the instance row is marked `stopping` before
  // the listener closes): calls issued in that window may still be served. Past it, none.
  const window = calls.filter(
    (c) => c.start >= sigtermAt && c.start < sigtermAt + SIGNAL_WINDOW_MS,
  );
  const after = calls.filter((c) => c.start >= sigtermAt + SIGNAL_WINDOW_MS);
  const lastAccepted = Math.max(
    -1,
    ...calls.filter((c) => c.code === 0).map((c) => c.start - sigtermAt),
  );
  s.figure("calls started before SIGTERM", tally(before));
  s.figure("streams already answering at SIGTERM", tally(answering));
  s.figure(`calls started in the first ${SIGNAL_WINDOW_MS} ms after SIGTERM`, tally(window));
  s.figure(`calls started later`, tally(after));
  s.figure(
    "last call accepted, ms after SIGTERM",
    lastAccepted < 0 ? "none after" : lastAccepted.toFixed(1),
  );
  s.figure("SIGTERM to exit (ms)", exitedAfterMs);
  s.check("server exits 0", exitCode === 0, `exit ${exitCode}`);
  s.check(
    "no call hangs (all ended before their deadline)",
    calls.every((c) => c.end !== null && c.code !== grpc.status.DEADLINE_EXCEEDED),
  );
  s.check(
    "streams already answering complete OK",
    answering.length > 0 && answering.every((c) => c.code === 0),
    `${answering.length} streams`,
  );
  s.check(
    "calls in flight end OK or UNAVAILABLE",
    before.every((c) => c.code === 0 || c.code === grpc.status.UNAVAILABLE),
    JSON.stringify(tally(before)),
  );
  s.check(
    `calls in the first ${SIGNAL_WINDOW_MS} ms end OK or UNAVAILABLE`,
    window.every((c) => c.code === 0 || c.code === grpc.status.UNAVAILABLE),
    JSON.stringify(tally(window)),
  );
  s.check(
    `new calls from ${SIGNAL_WINDOW_MS} ms after SIGTERM get UNAVAILABLE`,
    after.length > 0 && after.every((c) => c.code === grpc.status.UNAVAILABLE),
    JSON.stringify(tally(after)),
  );

  const ok = calls.filter((c) => c.code === 0).length;
  const [{ n: okRows }] =
    await sql`SELECT count(*)::int AS n FROM request_logs WHERE grpc_code = 0`;
  s.check("every OK call has its log row", okRows === ok, `${okRows} OK rows, ${ok} OK calls`);
  const instances = await sql`SELECT status FROM server_instances`;
  s.check(
    "instance row says stopped",
    instances.length === 1 && instances[0].status === "stopped",
    JSON.stringify(instances.map((r) => r.status)),
  );
});
