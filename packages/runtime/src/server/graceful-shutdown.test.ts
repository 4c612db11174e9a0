import { createChannel, createClient } from "nice-grpc";
import { ClientError, Status } from "nice-grpc-common";
import {
  HealthCheckResponse_ServingStatus,
  HealthDefinition,
} from "nice-grpc-server-health/lib/proto/grpc/health/v1/health.js";
import { describe, expect, it } from "vitest";
import type { RequestLogSink } from "../contracts/request-log.js";
import { TestServiceDefinition } from "../testdata/gen/testsvc/v1/test_service.js";
import { startTestServer, testServices } from "../testdata/support/harness.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SHUTDOWN_CANCEL = "Cancelled by server shutdown (grace period over)";

describe("graceful shutdown", () => {
  it("NOT_SERVING → refuse new calls → finish in-flight ones → flush: every call logged", async () => {
    const t = await startTestServer();
    const health = createClient(HealthDefinition, t.channel);
    const watched: number[] = [];
    const watching = (async () => {
      for await (const update of health.watch({ service: "" })) watched.push(update.status);
    })();
    for (let i = 0; i < 100 && watched.length === 0; i++) await sleep(20);
    expect(watched).toEqual([HealthCheckResponse_ServingStatus.SERVING]);

    let flushed = 0;
    const flush = t.sink.flush.bind(t.sink);
    t.sink.flush = async () => {
      flushed++;
      return flush();
    };

    const slow = t.test.slow({ delayMs: 400 });
    await sleep(50);
    const stopping = t.server.shutdown("test");
    await sleep(20);

    // A new call, on the existing connection or a new one, is refused: the listener is
    // closed and the open connection got a GOAWAY, so the client fails it itself.
    const late = await t.test.echo({ message: "late" }).catch((e: unknown) => e);
    expect(late).toBeInstanceOf(ClientError);
    expect((late as ClientError).code).toBe(Status.UNAVAILABLE);
    expect((late as ClientError).details).toMatch(/No connection established/);
    const fresh = createChannel(`127.0.0.1:${t.port}`);
    const freshError = await createClient(TestServiceDefinition, fresh)
      .echo({ message: "fresh" })
      .catch((e: unknown) => e);
    fresh.close();
    expect((freshError as ClientError).code).toBe(Status.UNAVAILABLE);

    // The in-flight call completes normally.
    expect((await slow).message).toBe("slept 400");
    await stopping;
    await watching.catch(() => undefined);
    expect(watched).toContain(HealthCheckResponse_ServingStatus.NOT_SERVING);
    expect(t.server.health.status()).toBe("unhealthy");
    expect(flushed).toBe(1);

    const slowRecord = t.sink.records.find((r) => r.method === "Slow");
    expect(slowRecord).toMatchObject({ status: "success", grpcCode: 0 });
    // Refusals that reached the server (same connection, before it closed) are logged too.
    for (const record of t.sink.records.filter((r) => r.method === "Echo")) {
      expect(record.grpcCode).toBe(Status.UNAVAILABLE);
    }
    t.channel.close();
  });

  it("cancels calls still running when the grace period ends, and logs them", async () => {
    const t = await startTestServer({ config: { server: { shutdownGraceMs: 200 } } });
    const slow = t.test.slow({ delayMs: 10_000 }).catch((e: unknown) => e);
    await sleep(50);
    const started = Date.now();
    await t.server.shutdown("test");
    expect(Date.now() - started).toBeLessThan(3_000);
    const error = await slow;
    expect(error).toBeInstanceOf(ClientError);
    // Retryable, unlike CANCELLED, which clients take for their own giving up.
    expect(error).toMatchObject({ code: Status.UNAVAILABLE, details: "Server shutting down" });
    const record = t.sink.records.find((r) => r.method === "Slow");
    // The server cancelled it, not the client.
    expect(record).toMatchObject({
      status: "cancelled",
      grpcCode: Status.UNAVAILABLE,
      errorMessage: SHUTDOWN_CANCEL,
    });
    t.channel.close();
  });

  it("answers every kind of call still running UNAVAILABLE; a client stream's loop throws", async () => {
    const services = testServices();
    const test = services[0]!.implementation as {
      collect: (requests: AsyncIterable<unknown>) => Promise<unknown>;
      repeat: (request: unknown) => AsyncIterable<unknown>;
    };
    // A feed of updates: one message every 20 ms, forever.
    test.repeat = async function* () {
      for (let i = 0; ; i++) {
        yield { message: `update ${i}` };
        await sleep(20);
      }
    };
    let collectLoop = "";
    test.collect = async (requests) => {
      try {
        for await (const _ of requests) void _;
        collectLoop = "ended";
      } catch (error) {
        collectLoop = `threw ${(error as Error).name}`;
        throw error;
      }
      return { message: "partial batch committed" };
    };
    const t = await startTestServer({ services, config: { server: { shutdownGraceMs: 200 } } });
    async function* endless() {
      yield { message: "first" };
      await sleep(10_000);
    }
    const outcomes = [
      t.test.slow({ delayMs: 10_000 }),
      (async () => {
        for await (const _ of t.test.repeat({ message: "x", count: 0 })) void _;
      })(),
      t.test.collect(endless()),
      (async () => {
        for await (const _ of t.test.chat(endless())) void _;
      })(),
    ].map((call) => call.then(() => null).catch((e: unknown) => e as ClientError));
    await sleep(100);
    await t.server.shutdown("test");
    for (const error of await Promise.all(outcomes)) {
      expect(error).toMatchObject({ code: Status.UNAVAILABLE, details: "Server shutting down" });
    }
    expect(collectLoop).toBe("threw AbortError");
    const records = t.sink.records.filter((r) => r.method !== "Echo");
    expect(records.map((r) => r.method).sort()).toEqual(["Chat", "Collect", "Repeat", "Slow"]);
    for (const record of records) {
      expect(record).toMatchObject({ status: "cancelled", errorMessage: SHUTDOWN_CANCEL });
    }
    t.channel.close();
  });

  it("logs a call whose handler ignores its cancellation before the sinks close", async () => {
    const services = testServices();
    const test = services[0]!.implementation as { slow: (r: { delayMs: number }) => unknown };
    let handlerDone = false;
    test.slow = async ({ delayMs }) => {
      await sleep(delayMs); // No signal: it runs on after the call is cancelled.
      handlerDone = true;
      return { message: "too late" };
    };
    const t = await startTestServer({ services, config: { server: { shutdownGraceMs: 200 } } });
    const slow = t.test.slow({ delayMs: 6_000 }).catch((e: unknown) => e);
    await sleep(50);
    const started = Date.now();
    await t.server.shutdown("test");
    // Grace, two seconds for records, the flush: not the handler's six seconds.
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(handlerDone).toBe(false);
    expect(((await slow) as ClientError).code).toBe(Status.UNAVAILABLE);
    const records = t.sink.records.filter((r) => r.method === "Slow");
    expect(records).toEqual([
      expect.objectContaining({ status: "cancelled", errorMessage: SHUTDOWN_CANCEL }),
    ]);
    expect(t.logLines.some((line) => line.includes("handlers still running"))).toBe(true);
    t.channel.close();
  });

  it("does not wait forever for a sink that cannot write, and says how much is left", async () => {
    // A database sink while the database is down: flush never resolves, records stay queued.
    const stuck: RequestLogSink = {
      write: () => {},
      flush: () => new Promise<void>(() => {}),
      close: async () => {},
      stats: () => ({ queued: 7, dropped: 0, written: 0 }),
    };
    const t = await startTestServer({
      config: { server: { shutdownGraceMs: 300 } },
      sinks: [stuck],
    });
    await t.test.echo({ message: "logged" });
    const started = Date.now();
    await t.server.shutdown("test");
    const took = Date.now() - started;
    // No calls to drain: the flush waits max(grace, 1 s), then shutdown goes on.
    expect(took).toBeGreaterThanOrEqual(950);
    expect(took).toBeLessThan(3_000);
    const lines = t.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: "request logs not written within the grace period; stopping anyway",
        queued: 7,
        waitedMs: 1_000,
      }),
    );
    expect(lines.at(-1)).toMatchObject({ msg: "server stopped" });
    t.channel.close();
  });

  it("shutdown is idempotent", async () => {
    const t = await startTestServer();
    const first = t.server.shutdown("one");
    expect(t.server.shutdown("two")).toBe(first);
    await first;
    t.channel.close();
  });
});
