// Hand-made gRPC requests over node:http2, for inputs no gRPC library would send: bad length
// prefixes, garbage, truncated messages, odd headers. Every request has a timeout, so a server
// that never answers shows up as `timedOut` instead of a hang.
import http2 from "node:http2";

/** A gRPC length-prefixed frame: flag byte, 4-byte big-endian length, payload. */
export function frame(payload, { compressed = false, length = payload.length } = {}) {
  const head = Buffer.alloc(5);
  head[0] = compressed ? 1 : 0;
  head.writeUInt32BE(length >>> 0, 1);
  return Buffer.concat([head, payload]);
}

/**
 * Sends one request on a fresh HTTP/2 session and resolves with what came back:
 * `{ httpStatus, grpcStatus, grpcMessage, rstCode, error, timedOut, bytes }`; never rejects.
 * `headers` are added to (and may replace) the standard gRPC request headers.
 */
export function rawRequest(
  port,
  { path, headers = {}, body = Buffer.alloc(0), timeoutMs = 5000, read = true },
) {
  return new Promise((resolve) => {
    const result = {
      httpStatus: null,
      grpcStatus: null,
      grpcMessage: null,
      rstCode: null,
      error: null,
      timedOut: false,
      bytes: 0,
    };
    let session;
    const done = () => {
      clearTimeout(timer);
      session?.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => {
      result.timedOut = true;
      done();
    }, timeoutMs);
    try {
      session = http2.connect(`http://127.0.0.1:${port}`);
      session.on("error", (error) => {
        result.error ??= error.code ?? error.message;
        done();
      });
      const stream = session.request({
        ":method": "POST",
        ":path": path,
        "content-type": "application/grpc",
        te: "trailers",
        ...headers,
      });
      stream.on("response", (h) => {
        result.httpStatus = h[":status"];
        if (h["grpc-status"] !== undefined) result.grpcStatus = Number(h["grpc-status"]);
        if (h["grpc-message"] !== undefined)
          result.grpcMessage = decodeURIComponent(h["grpc-message"]);
      });
      stream.on("trailers", (t) => {
        if (t["grpc-status"] !== undefined) result.grpcStatus = Number(t["grpc-status"]);
        if (t["grpc-message"] !== undefined)
          result.grpcMessage = decodeURIComponent(t["grpc-message"]);
      });
      if (read) stream.on("data", (chunk) => (result.bytes += chunk.length));
      stream.on("error", (error) => (result.error ??= error.code ?? error.message));
      stream.on("close", () => {
        result.rstCode = stream.rstCode ?? null;
        done();
      });
      stream.end(body);
    } catch (error) {
      result.error = error.code ?? error.message;
      done();
    }
  });
}
