import * as grpc from "@grpc/grpc-js";
import http2 from "node:http2";
import { createClient, createServer } from "nice-grpc";
import { Status } from "nice-grpc-common";
import { HealthDefinition } from "nice-grpc-server-health";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestServer } from "../testdata/support/harness.js";
import { KEYS, onlyRecord, startTestServer, withKey } from "../testdata/support/harness.js";

/** What a raw call got back: its status and the `x-request-id` response header. */
interface RawResult {
  readonly code: number;
  readonly details: string;
  readonly requestId: string | undefined;
}

/**
 * Sends `messages` (raw bytes, as many as given) to `path` with a grpc-js client, so a test can
 * call methods no service has and send what no generated client would.
 */
function rawCall(
  port: number,
  path: string,
  messages: readonly Uint8Array[],
  headers: Record<string, string> = {},
): Promise<RawResult> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  let requestId: string | undefined;
  return new Promise((resolve) => {
    const call = client.makeClientStreamRequest(
      path,
      (bytes: Uint8Array) => Buffer.from(bytes),
      (bytes: Buffer) => bytes,
      metadata,
      (error) => {
        client.close();
        resolve({ code: error?.code ?? 0, details: error?.details ?? "", requestId });
      },
    );
    call.on("metadata", (header: grpc.Metadata) => {
      requestId = header.get("x-request-id")[0]?.toString();
    });
    for (const message of messages) call.write(message);
    call.end();
  });
}

/**
 * Opens a call with `grpc-timeout` over plain HTTP/2 and sends nothing, not even the end of
 * the request: unlike a grpc-js client, which cancels the call at its own deadline and races
 * the server's timer, nothing here ends the call but the server. Resolves to `grpc-status`.
 */
function silentCallWithTimeout(port: number, path: string, timeout: string): Promise<number> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  // The server's shutdown later sends GOAWAY to this session; nothing to report then.
  session.on("error", () => undefined);
  const stream = session.request(
    {
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-timeout": timeout,
    },
    { endStream: false },
  );
  stream.on("error", () => undefined);
  return new Promise((resolve) => {
    // The status comes in the trailers, or in the headers of a trailers-only answer; the
    // stream itself stays half open, since this side never ends it.
    const read = (headers: http2.IncomingHttpHeaders) => {
      if (headers["grpc-status"] === undefined) return;
      stream.close();
      session.close();
      resolve(Number(headers["grpc-status"]));
    };
    stream.on("response", read);
    stream.on("trailers", read);
    stream.resume();
  });
}

const ECHO = "/testsvc.v1.TestService/Echo";
// A serialized EchoRequest { message: "hi" }: field 1, length 2.
const ECHO_REQUEST = Uint8Array.from([0x0a, 0x02, 0x68, 0x69]);

describe("calls grpc-js answers before any handler: one log record each", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({
      config: {
        server: { maxReceiveMessageBytes: 256 },
        logging: { trustedProxies: ["127.0.0.1"] },
      },
    });
  });
  afterAll(() => t.close());
  beforeEach(() => t.sink.clear());

  it("unknown method of a served service: UNIMPLEMENTED, logged with its request id", async () => {
    const path = "/testsvc.v1.TestService/NoSuchMethod";
    const result = await rawCall(t.port, path, [ECHO_REQUEST], { "x-api-key": KEYS.plain });
    expect(result.code).toBe(Status.UNIMPLEMENTED);
    expect(result.details).toBe(`The server does not implement the method ${path}`);
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const record = await onlyRecord(t);
    expect(record).toMatchObject({
      requestId: result.requestId,
      service: "testsvc.v1.TestService",
      method: "NoSuchMethod",
      path,
      callKind: "unknown",
      status: "error",
      grpcCode: Status.UNIMPLEMENTED,
      errorMessage: result.details,
      userId: null,
      apiKeyId: null,
      authenticated: false,
      clientAddress: "127.0.0.1",
      requestMessages: 0,
      responseMessages: 0,
    });
    expect(record.durationMs).toBeGreaterThanOrEqual(0);
    expect(record.completedAt.getTime()).toBeGreaterThanOrEqual(record.startedAt.getTime());
  });

  it("unknown service: the client's request id and forwarded address are kept", async () => {
    const result = await rawCall(t.port, "/nope.v1.Ghost/Boo", [], {
      "x-request-id": "probe-1",
      "x-forwarded-for": "203.0.113.9",
    });
    expect(result).toMatchObject({ code: Status.UNIMPLEMENTED, requestId: "probe-1" });
    expect(await onlyRecord(t)).toMatchObject({
      requestId: "probe-1",
      service: "nope.v1.Ghost",
      method: "Boo",
      callKind: "unknown",
      grpcCode: Status.UNIMPLEMENTED,
      clientAddress: "203.0.113.9",
    });
  });

  it("a message over the size limit: RESOURCE_EXHAUSTED, logged against its method", async () => {
    const error = await t.test
      .echo({ message: "x".repeat(1_000) }, withKey(KEYS.plain))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: Status.RESOURCE_EXHAUSTED });
    expect(await onlyRecord(t)).toMatchObject({
      service: "testsvc.v1.TestService",
      method: "Echo",
      path: ECHO,
      callKind: "unary",
      status: "error",
      grpcCode: Status.RESOURCE_EXHAUSTED,
      authenticated: false,
    });
  });

  it("bytes that are no protobuf message: INTERNAL, logged", async () => {
    const result = await rawCall(t.port, ECHO, [Uint8Array.from([0xff, 0xff, 0xff, 0xff])]);
    expect(result.code).toBe(Status.INTERNAL);
    expect(await onlyRecord(t)).toMatchObject({
      path: ECHO,
      grpcCode: Status.INTERNAL,
      status: "error",
      requestId: result.requestId,
    });
  });

  it("two messages to a unary method: UNIMPLEMENTED and still exactly one record", async () => {
    const result = await rawCall(t.port, ECHO, [ECHO_REQUEST, ECHO_REQUEST], {
      "x-api-key": KEYS.plain,
    });
    expect(result.code).toBe(Status.UNIMPLEMENTED);
    const record = await onlyRecord(t);
    expect(record).toMatchObject({ path: ECHO, grpcCode: Status.UNIMPLEMENTED });
  });

  it("deadline passed while the request never came: logged as a timeout", async () => {
    expect(await silentCallWithTimeout(t.port, ECHO, "200m")).toBe(Status.DEADLINE_EXCEEDED);
    expect(await onlyRecord(t)).toMatchObject({
      path: ECHO,
      status: "timeout",
      grpcCode: Status.DEADLINE_EXCEEDED,
      requestMessages: 0,
    });
  });

  it("health checks stay out of the log; served calls keep their one record", async () => {
    const health = createClient(HealthDefinition, t.channel);
    await health.check({ service: "" });
    await t.test.echo({ message: "ok" }, withKey(KEYS.plain));
    expect(await onlyRecord(t)).toMatchObject({
      path: ECHO,
      status: "success",
      authenticated: true,
    });
  });
});

describe("a grpc-js server without our interceptor in the same process", () => {
  let ours: TestServer;
  let bare: ReturnType<typeof createServer>;
  let port: number;
  beforeAll(async () => {
    // Ours first, so grpc-js's Server is already patched when the bare one answers.
    ours = await startTestServer();
    bare = createServer();
    bare.add(HealthDefinition, {
      async check() {
        return { status: 1 };
      },
      async *watch() {},
    });
    port = await bare.listen("127.0.0.1:0");
  });
  afterAll(async () => {
    await bare.shutdown();
    await ours.close();
  });
  afterEach(() => ours.sink.clear());

  it("answers unknown methods as grpc-js always did: no request id, nothing logged", async () => {
    const path = "/testsvc.v1.TestService/Echo";
    const result = await rawCall(port, path, [ECHO_REQUEST]);
    expect(result).toEqual({
      code: Status.UNIMPLEMENTED,
      details: `The server does not implement the method ${path}`,
      requestId: undefined,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ours.sink.records).toHaveLength(0);
  });
});
