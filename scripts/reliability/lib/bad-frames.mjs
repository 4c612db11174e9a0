// The hand-made gRPC requests of the bad-input scenario, each with the verdict it must get.
import { echoRequest } from "./grpc-calls.mjs";
import { frame } from "./raw-http2.mjs";

const MiB = 1024 * 1024;

/** Deterministic bytes (xorshift32), so a failing case can be replayed. */
export function junk(n, seed) {
  let x = seed >>> 0 || 1;
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * The bad frames, as `[label, request, expected]`: `request` is what `rawRequest` sends (on
 * top of the Echo path and the caller's headers), `expected(result)` the verdict.
 */
export function badFrameCases() {
  const nonOk = (r) => r.grpcStatus !== null && r.grpcStatus !== 0;
  const refused = (r) =>
    nonOk(r) || r.rstCode > 0 || (r.httpStatus !== null && r.httpStatus >= 400) || r.error !== null;
  return [
    ["garbage body (64 random bytes)", { body: junk(64, 1) }, nonOk],
    [
      "length prefix 1000, 5 bytes sent",
      { body: frame(Buffer.from("hello"), { length: 1000 }) },
      nonOk,
    ],
    ["truncated frame header (3 bytes)", { body: Buffer.from([0, 0, 0]) }, nonOk],
    [
      "length prefix 4 GiB",
      { body: frame(Buffer.from("x"), { length: 0xffffffff }) },
      (r) => r.grpcStatus === 8,
    ],
    // The spec wants INTERNAL here; @grpc/grpc-js treats it as identity-compressed and answers.
    // Recorded, not judged: the server must only survive it.
    [
      "compressed flag without grpc-encoding (informational)",
      { body: frame(echoRequest("hi"), { compressed: true }) },
      () => true,
    ],
    ["invalid protobuf bytes", { body: frame(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])) }, nonOk],
    ["random protobuf-framed junk", { body: frame(junk(200, 7)) }, nonOk],
    [
      "two messages to a unary method",
      { body: Buffer.concat([frame(echoRequest("a")), frame(echoRequest("b"))]) },
      nonOk,
    ],
    [
      "message over the 4 MiB limit",
      { body: frame(Buffer.alloc(5 * MiB, 0x41)) },
      (r) => r.grpcStatus === 8,
    ],
    [
      "unknown method",
      { path: "/bench.v1.EchoService/Nope", body: frame(Buffer.alloc(0)) },
      (r) => r.grpcStatus === 12,
    ],
    [
      "unknown service",
      { path: "/no.such.Service/Call", body: frame(Buffer.alloc(0)) },
      (r) => r.grpcStatus === 12,
    ],
    [
      "grpc-timeout: banana",
      { headers: { "grpc-timeout": "banana" }, body: frame(echoRequest()) },
      () => true,
    ],
    [
      "content-type text/plain",
      { headers: { "content-type": "text/plain" }, body: frame(echoRequest()) },
      refused,
    ],
    [
      "invalid base64 in a -bin header",
      { headers: { "x-junk-bin": "!!!not base64!!!" }, body: frame(echoRequest()) },
      () => true,
    ],
    [
      "API key of 16 KiB",
      { headers: { "x-api-key": "gcfg_" + "A".repeat(16 * 1024) }, body: frame(echoRequest()) },
      (r) => r.grpcStatus === 16 || refused(r),
    ],
    [
      "one 1 MiB header",
      { headers: { "x-huge": "h".repeat(MiB) }, body: frame(echoRequest()) },
      refused,
    ],
    [
      "200 headers of 8 KiB",
      {
        headers: Object.fromEntries(
          Array.from({ length: 200 }, (_, i) => [`x-h${i}`, "v".repeat(8192)]),
        ),
        body: frame(echoRequest()),
      },
      refused,
    ],
    ["GET instead of POST", { headers: { ":method": "GET" } }, refused],
  ];
}
