import { ClientError, Metadata, ServerError, Status } from "nice-grpc-common";
import type { CallContext, ServerMiddleware } from "nice-grpc-common";
import { describe, expect, it } from "vitest";
import type { ServiceContext } from "../index.js";
import { KEYS, startTestServer, withKey } from "../testdata/support/harness.js";

describe("user middleware from config", () => {
  it("runs `before` outside the chain and `after` next to the handler, seeing the identity", async () => {
    const seen: string[] = [];
    const before: ServerMiddleware = async function* (call, context: CallContext) {
      const requestId = (context as Partial<ServiceContext>).requestId;
      seen.push(`before:${call.method.path}:${requestId === undefined ? "no-id" : "id"}`);
      return yield* call.next(call.request, context);
    };
    const after: ServerMiddleware = async function* (call, context: CallContext) {
      const ctx = context as ServiceContext;
      seen.push(`after:${ctx.user?.username ?? "anon"}:${ctx.requestId.length > 0}`);
      return yield* call.next(call.request, context);
    };
    const t = await startTestServer({
      config: { middleware: { before: [before], after: [after] } },
    });
    try {
      await t.test.whoAmI({}, withKey(KEYS.staff));
      expect(seen).toEqual(["before:/testsvc.v1.TestService/WhoAmI:no-id", "after:sam:true"]);
      seen.length = 0;
      // Refused by auth: `after` never runs.
      await t.test.requiredCall({}).catch(() => undefined);
      expect(seen).toEqual(["before:/testsvc.v1.TestService/RequiredCall:no-id"]);
    } finally {
      await t.close();
    }
  });
});

describe("`before` middleware that replaces the call's metadata", () => {
  // A common pattern (normalising or filtering headers) that hands `next` a new Metadata:
  // the call must stay linked to what grpc-js saw of it, whether the middleware spreads the
  // context or builds a new object from its parts.
  const filtered = (context: CallContext) => {
    const metadata = Metadata();
    for (const [key, values] of context.metadata) {
      if (!key.startsWith("grpc-cfg-internal")) metadata.set(key, values as string[]);
    }
    return metadata;
  };
  const spreading: ServerMiddleware = async function* (call, context: CallContext) {
    return yield* call.next(call.request, { ...context, metadata: filtered(context) });
  };
  const rebuilding: ServerMiddleware = async function* (call, context: CallContext) {
    const { peer, header, sendHeader, trailer, signal } = context;
    const fresh: CallContext = {
      metadata: filtered(context),
      peer,
      header,
      sendHeader,
      trailer,
      signal,
    };
    return yield* call.next(call.request, fresh);
  };

  it.each([
    ["spreads the context", spreading],
    ["builds a new context", rebuilding],
  ])(
    "that %s keeps the request id sent and the message counts in the log row",
    async (_, before) => {
      const t = await startTestServer({ config: { middleware: { before: [before] } } });
      try {
        let sentId: string | undefined;
        const options = {
          ...withKey(KEYS.staff),
          onHeader: (header: Metadata) => (sentId = header.get("x-request-id")),
        };
        const received: unknown[] = [];
        for await (const reply of t.test.repeat({ message: "x", count: 3 }, options)) {
          received.push(reply);
        }
        expect(received).toHaveLength(3);
        expect(sentId).toMatch(/^[0-9a-f-]{36}$/);
        const [record] = await t.sink.waitFor(1);
        expect(record).toMatchObject({
          requestId: sentId,
          status: "success",
          responseMessages: 3,
          authenticated: true,
        });
      } finally {
        await t.close();
      }
    },
  );
});

describe("errors thrown by `before` middleware", () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  /** Refuses by path: a limiter's ServerError, a bug's plain Error, or a failure after `next`. */
  const refuser: ServerMiddleware = async function* (call, context: CallContext) {
    if (call.method.path.endsWith("/Echo")) {
      throw new ServerError(Status.RESOURCE_EXHAUSTED, "too many calls in flight");
    }
    if (call.method.path.endsWith("/Repeat")) throw new Error("limiter bug: password=hunter2");
    const result = yield* call.next(call.request, context);
    if (call.method.path.endsWith("/WhoAmI")) throw new Error("post-processing failed");
    return result;
  };
  const codeOf = (error: unknown) => (error instanceof ClientError ? error.code : null);

  it("are mapped to a status and logged once, like the pipeline's own", async () => {
    const t = await startTestServer({ config: { middleware: { before: [refuser] } } });
    try {
      const limited = await t.test.echo({ message: "hi" }).catch((e: unknown) => e);
      expect(codeOf(limited)).toBe(Status.RESOURCE_EXHAUSTED);
      expect((limited as ClientError).details).toBe("too many calls in flight");

      // An unexpected error is INTERNAL with the generic message: its text stays on the server.
      const stream = t.test.repeat({ message: "x", count: 3 }, withKey(KEYS.staff));
      const broken = await (async () => {
        for await (const _ of stream) void _;
      })().catch((e: unknown) => e);
      expect(codeOf(broken)).toBe(Status.INTERNAL);
      expect((broken as ClientError).details).toMatch(/^Internal server error \(request id /);
      expect((broken as ClientError).details).not.toContain("hunter2");

      const records = await t.sink.waitFor(2);
      await sleep(100);
      expect(records).toHaveLength(2);
      const byPath = new Map(records.map((record) => [record.method, record]));
      expect(byPath.get("Echo")).toMatchObject({
        service: "testsvc.v1.TestService",
        status: "error",
        grpcCode: Status.RESOURCE_EXHAUSTED,
        errorMessage: "too many calls in flight",
        authenticated: false,
      });
      expect(byPath.get("Repeat")).toMatchObject({
        status: "error",
        grpcCode: Status.INTERNAL,
        responseMessages: 0,
      });
      expect(t.logLines.some((line) => line.includes("limiter bug"))).toBe(true);
    } finally {
      await t.close();
    }
  });

  it("keep one record per call when the pipeline ran: handler errors and errors after `next`", async () => {
    const t = await startTestServer({ config: { middleware: { before: [refuser] } } });
    try {
      const failed = await t.test.fail({ kind: "notFound" }).catch((e: unknown) => e);
      expect(codeOf(failed)).toBe(Status.NOT_FOUND);
      const after = await t.test.whoAmI({}, withKey(KEYS.staff)).catch((e: unknown) => e);
      expect(codeOf(after)).toBe(Status.INTERNAL);
      expect(await t.test.requiredCall({}, withKey(KEYS.staff))).toBeDefined();

      const records = await t.sink.waitFor(3);
      await sleep(100);
      expect(records).toHaveLength(3);
      const byPath = new Map(records.map((record) => [record.method, record]));
      expect(byPath.get("Fail")).toMatchObject({ grpcCode: Status.NOT_FOUND });
      // The handler succeeded; the status the client got is what the row says.
      expect(byPath.get("WhoAmI")).toMatchObject({
        grpcCode: Status.INTERNAL,
        status: "error",
        authenticated: true,
      });
      expect(byPath.get("RequiredCall")).toMatchObject({ grpcCode: Status.OK, status: "success" });
    } finally {
      await t.close();
    }
  });
});

describe("message size limits", () => {
  it("refuses requests larger than server.maxReceiveMessageBytes", async () => {
    const t = await startTestServer({ config: { server: { maxReceiveMessageBytes: 1024 } } });
    try {
      expect((await t.test.echo({ message: "x".repeat(500) })).message).toHaveLength(500);
      const error = await t.test.echo({ message: "x".repeat(4096) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClientError);
      expect((error as ClientError).code).toBe(Status.RESOURCE_EXHAUSTED);
    } finally {
      await t.close();
    }
  });

  it("refuses to send responses larger than server.maxSendMessageBytes", async () => {
    const t = await startTestServer({ config: { server: { maxSendMessageBytes: 1024 } } });
    try {
      const error = await t.test.echo({ message: "y".repeat(4096) }).catch((e: unknown) => e);
      expect((error as ClientError).code).toBe(Status.RESOURCE_EXHAUSTED);
      // grpc-js refuses the response itself; the log still records the status the client got.
      const [record] = await t.sink.waitFor(1);
      expect(record).toMatchObject({
        status: "error",
        grpcCode: Status.RESOURCE_EXHAUSTED,
        responseMessages: 0,
      });
    } finally {
      await t.close();
    }
  });
});
