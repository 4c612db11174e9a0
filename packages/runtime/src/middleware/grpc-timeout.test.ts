import http2 from "node:http2";
import { createRequire } from "node:module";
import { Status } from "nice-grpc-common";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TestServer } from "../testdata/support/harness.js";
import { onlyRecord, startTestServer } from "../testdata/support/harness.js";
import { CallOutcomes } from "./call-outcome.js";
import { parseGrpcTimeout } from "./grpc-timeout.js";

/** What a raw call got back. */
interface RawStatus {
  readonly code: number;
  readonly details: string;
  readonly elapsedMs: number;
}

/**
 * One unary call over plain HTTP/2 with `grpc-timeout` exactly as given (grpc-js's client
 * would never send a 9-digit or malformed value), request fully sent. Resolves to the status.
 */
function callWithTimeoutHeader(
  port: number,
  path: string,
  message: Uint8Array,
  timeout: string,
  requestId: string,
): Promise<RawStatus> {
  const started = performance.now();
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on("error", () => undefined);
  const stream = session.request({
    ":method": "POST",
    ":path": path,
    "content-type": "application/grpc",
    te: "trailers",
    "grpc-timeout": timeout,
    "x-request-id": requestId,
  });
  stream.on("error", () => undefined);
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  stream.end(frame);
  return new Promise((resolve) => {
    // The status comes in the trailers, or in the headers of a trailers-only answer.
    const read = (headers: http2.IncomingHttpHeaders) => {
      if (headers["grpc-status"] === undefined) return;
      const details = decodeURIComponent(String(headers["grpc-message"] ?? ""));
      stream.close();
      session.close();
      resolve({
        code: Number(headers["grpc-status"]),
        details,
        elapsedMs: performance.now() - started,
      });
    };
    stream.on("response", read);
    stream.on("trailers", read);
    stream.resume();
  });
}

const SLOW = "/testsvc.v1.TestService/Slow";
/** A serialized SlowRequest { delay_ms: ms } (field 1, varint; ms < 2^14). */
function slowRequest(ms: number): Uint8Array {
  return ms < 128
    ? Uint8Array.from([0x08, ms])
    : Uint8Array.from([0x08, (ms & 0x7f) | 0x80, ms >> 7]);
}

describe("parseGrpcTimeout", () => {
  it("reads the spec's form: up to 8 digits and a unit", () => {
    expect(parseGrpcTimeout("100m")).toBe(100);
    expect(parseGrpcTimeout("2S")).toBe(2_000);
    expect(parseGrpcTimeout("3M")).toBe(180_000);
    expect(parseGrpcTimeout("1H")).toBe(3_600_000);
    expect(parseGrpcTimeout("1500u")).toBe(1);
    expect(parseGrpcTimeout("1n")).toBe(0);
    expect(parseGrpcTimeout("99999999n")).toBe(99);
  });

  it("takes a timeout past 2^31 - 1 ms as no deadline", () => {
    expect(parseGrpcTimeout("2147483m")).toBe(2_147_483);
    expect(parseGrpcTimeout("2147483S")).toBe(2_147_483_000);
    expect(parseGrpcTimeout("2147484S")).toBe(Infinity);
    expect(parseGrpcTimeout("2592000S")).toBe(Infinity);
    expect(parseGrpcTimeout("99999999H")).toBe(Infinity);
  });

  it("refuses anything else", () => {
    for (const value of ["", "1s", "S", "-1S", "1.5S", "300000000n", " 1S", "1 S", "1S ", "1SS"]) {
      expect(parseGrpcTimeout(value), value).toBeNull();
    }
  });

  it("is in place on grpc-js's call class before its first call", () => {
    const internals = createRequire(import.meta.url)(
      "@grpc/grpc-js/build/src/server-interceptors.js",
    ) as { BaseServerInterceptingCall: { prototype: { handleTimeoutHeader: unknown } } };
    new CallOutcomes();
    const handler = internals.BaseServerInterceptingCall.prototype.handleTimeoutHeader;
    expect((handler as { name: string }).name).toBe("handleTimeoutHeader");
    expect(String(handler)).toContain("parseGrpcTimeout");
  });
});

describe("grpc-timeout on the server", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());
  beforeEach(() => t.sink.clear());

  // grpc-go sends this for a 30-day context; grpc-js used to fail it within a millisecond.
  it("a 30-day timeout (2592000S) is no deadline: the call succeeds", async () => {
    const result = await callWithTimeoutHeader(t.port, SLOW, slowRequest(50), "2592000S", "to-30d");
    expect(result).toMatchObject({ code: Status.OK });
    expect(await onlyRecord(t)).toMatchObject({
      requestId: "to-30d",
      status: "success",
      grpcCode: Status.OK,
    });
  });

  it("720H succeeds", async () => {
    const result = await callWithTimeoutHeader(t.port, SLOW, slowRequest(50), "720H", "to-720h");
    expect(result.code).toBe(Status.OK);
    expect(await onlyRecord(t)).toMatchObject({ status: "success" });
  });

  it("a 9-digit value is invalid (not read as its last 8 digits)", async () => {
    const result = await callWithTimeoutHeader(
      t.port,
      SLOW,
      slowRequest(1),
      "300000000n",
      "to-9digits",
    );
    expect(result).toMatchObject({
      code: Status.INTERNAL,
      details: 'Invalid grpc-timeout value "300000000n"',
    });
  });

  it("a negative value is invalid", async () => {
    const result = await callWithTimeoutHeader(t.port, SLOW, slowRequest(1), "-1S", "to-neg");
    expect(result).toMatchObject({
      code: Status.INTERNAL,
      details: 'Invalid grpc-timeout value "-1S"',
    });
  });

  it("100m is honoured: DEADLINE_EXCEEDED after about 100 ms, logged as a timeout", async () => {
    const result = await callWithTimeoutHeader(t.port, SLOW, slowRequest(5_000), "100m", "to-100m");
    expect(result.code).toBe(Status.DEADLINE_EXCEEDED);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(90);
    expect(result.elapsedMs).toBeLessThan(2_000);
    expect(await onlyRecord(t)).toMatchObject({
      requestId: "to-100m",
      status: "timeout",
      grpcCode: Status.DEADLINE_EXCEEDED,
    });
  });

  // The handler is cancelled by grpc-js's status; its cancel is not what the client got.
  it("an invalid value: the log row carries the message the client got", async () => {
    const result = await callWithTimeoutHeader(t.port, SLOW, slowRequest(200), "1s", "to-1s");
    expect(result).toMatchObject({
      code: Status.INTERNAL,
      details: 'Invalid grpc-timeout value "1s"',
    });
    expect(await onlyRecord(t)).toMatchObject({
      requestId: "to-1s",
      status: "error",
      grpcCode: Status.INTERNAL,
      errorMessage: 'Invalid grpc-timeout value "1s"',
    });
  });
});
