import { ClientError, Status } from "nice-grpc-common";
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
