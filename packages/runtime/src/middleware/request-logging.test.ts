import { ClientError, Status } from "nice-grpc-common";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestServer } from "../testdata/support/harness.js";
import { SlowRequest } from "../testdata/gen/testsvc/v1/test_service.js";
import {
  callWithDeadline,
  KEYS,
  onlyRecord,
  startTestServer,
  withKey,
} from "../testdata/support/harness.js";

async function* messages(count: number) {
  for (let i = 0; i < count; i++) yield { message: `m${i}` };
}

describe("request logging: one record per call", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());
  beforeEach(() => t.sink.clear());

  it("unary success, attributed, with timing, kind, address and request id", async () => {
    let requestId = "";
    await t.test.whoAmI(
      {},
      { ...withKey(KEYS.plain), onHeader: (h) => (requestId = h.get("x-request-id") ?? "") },
    );
    const record = await onlyRecord(t);
    expect(record).toMatchObject({
      requestId,
      service: "testsvc.v1.TestService",
      method: "WhoAmI",
      path: "/testsvc.v1.TestService/WhoAmI",
      callKind: "unary",
      status: "success",
      grpcCode: 0,
      errorMessage: null,
      userId: 1,
      apiKeyId: 11,
      authenticated: true,
      authMethod: "api-key",
      clientAddress: "127.0.0.1",
      requestMessages: 1,
      responseMessages: 1,
    });
    expect(record.durationMs).toBeGreaterThanOrEqual(0);
    expect(record.completedAt.getTime()).toBeGreaterThanOrEqual(record.startedAt.getTime());
  });

  it("auth rejection", async () => {
    await t.test.requiredCall({}).catch(() => undefined);
    const record = await onlyRecord(t);
    expect(record).toMatchObject({
      status: "error",
      grpcCode: Status.UNAUTHENTICATED,
      userId: null,
      responseMessages: 0,
    });
    expect(record.errorMessage).toMatch(/^Authentication required/);
  });

  it("server stream: counts responses", async () => {
    for await (const _ of t.test.repeat({ message: "x", count: 5 }, withKey(KEYS.staff))) void _;
    expect(await onlyRecord(t)).toMatchObject({
      callKind: "server-stream",
      status: "success",
      requestMessages: 1,
      responseMessages: 5,
      userId: 2,
    });
  });

  it("server stream failing mid-way: counts what was sent and records the error", async () => {
    const got: string[] = [];
    const error = await (async () => {
      for await (const r of t.test.repeat({ message: "x", count: 5, failAfter: 2 }))
        got.push(r.message);
    })().catch((e: unknown) => e);
    expect((error as ClientError).code).toBe(Status.FAILED_PRECONDITION);
    expect(got).toHaveLength(2);
    expect(await onlyRecord(t)).toMatchObject({
      status: "error",
      grpcCode: Status.FAILED_PRECONDITION,
      errorMessage: "stream broke",
      responseMessages: 2,
    });
  });

  it("client stream: counts requests", async () => {
    await t.test.collect(messages(7));
    expect(await onlyRecord(t)).toMatchObject({
      callKind: "client-stream",
      status: "success",
      requestMessages: 7,
      responseMessages: 1,
    });
  });

  it("bidi: counts both directions and attributes the user", async () => {
    for await (const _ of t.test.chat(messages(4), withKey(KEYS.superuser))) void _;
    expect(await onlyRecord(t)).toMatchObject({
      callKind: "bidi",
      status: "success",
      requestMessages: 4,
      responseMessages: 4,
      userId: 3,
      apiKeyId: 13,
    });
  });

  it("client cancel → status cancelled", async () => {
    const controller = new AbortController();
    const call = t.test.slow({ delayMs: 5_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await call.catch(() => undefined);
    const record = await onlyRecord(t);
    expect(record).toMatchObject({ status: "cancelled", grpcCode: Status.CANCELLED });
    expect(record.durationMs).toBeLessThan(4_000);
  });

  it("client cancel of a bidi stream → one cancelled record", async () => {
    const controller = new AbortController();
    async function* forever() {
      yield { message: "first" };
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
    const stream = t.test.chat(forever(), { signal: controller.signal });
    const reader = (async () => {
      for await (const _ of stream) controller.abort();
    })();
    await reader.catch(() => undefined);
    const record = await onlyRecord(t);
    expect(record).toMatchObject({
      callKind: "bidi",
      status: "cancelled",
      requestMessages: 1,
      responseMessages: 1,
    });
  });

  it("deadline exceeded → status timeout", async () => {
    const request = SlowRequest.encode({ delayMs: 5_000 }).finish();
    const path = "/testsvc.v1.TestService/Slow";
    const result = await callWithDeadline(t.port, path, request, new Date(Date.now() + 150));
    expect(result.code).toBe(Status.DEADLINE_EXCEEDED);
    const record = await onlyRecord(t);
    expect(record).toMatchObject({ status: "timeout", grpcCode: Status.DEADLINE_EXCEEDED });
  });

  it("client address honours x-forwarded-for only from trusted proxies", async () => {
    const proxied = await startTestServer({
      config: { logging: { trustedProxies: ["127.0.0.1"] } },
    });
    try {
      await proxied.test.echo(
        { message: "" },
        withKey(KEYS.plain, { "x-forwarded-for": "203.0.113.9, 127.0.0.1" }),
      );
      const [record] = await proxied.sink.waitFor(1);
      expect(record?.clientAddress).toBe("203.0.113.9");
    } finally {
      await proxied.close();
    }
    await t.test.echo({ message: "" }, withKey(KEYS.plain, { "x-forwarded-for": "203.0.113.9" }));
    expect((await onlyRecord(t)).clientAddress).toBe("127.0.0.1");
  });

  it("a sink that throws does not break the call or the other sinks", async () => {
    const broken = {
      write() {
        throw new Error("disk full");
      },
      flush: async () => undefined,
      close: async () => undefined,
    };
    const s = await startTestServer({ sinks: [broken] });
    try {
      const response = await s.test.echo({ message: "still works" });
      expect(response.message).toBe("still works");
      await s.sink.waitFor(1);
      expect(s.logLines.join("\n")).toContain("request log sink threw");
    } finally {
      await s.close();
    }
  });
});
