// Raw @grpc/grpc-js calls for the scenarios: health checks and single Echo calls whose exact
// status the scenarios assert. Messages are hand-encoded protobuf (bench.v1.EchoRequest,
// grpc.health.v1.HealthCheckRequest), so nothing here depends on generated code.
import grpc from "@grpc/grpc-js";
import { echoRequest } from "../../bench/echo-request.mjs";

export { echoRequest };

const identity = (bytes) => bytes;

/** A grpc-js client for `host:port` (default host 127.0.0.1); call `.close()`. */
export function rawClient(port, options = {}, host = "127.0.0.1") {
  return new grpc.Client(`${host}:${port}`, grpc.credentials.createInsecure(), options);
}

/**
 * One unary call; resolves `{ code, codeName, details, ms, response }` (code 0 = OK), never rejects.
 * `metadata` is an object of header → value.
 */
export function unary(client, path, request, metadata = {}, deadlineMs = 10_000) {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  const started = performance.now();
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      identity,
      identity,
      request,
      md,
      { deadline: Date.now() + deadlineMs },
      (error, response) => {
        const code = error ? error.code : 0;
        resolve({
          code,
          codeName: grpc.status[code] ?? String(code),
          details: error ? error.details : "",
          ms: performance.now() - started,
          response: response ?? null,
        });
      },
    );
  });
}

/** Echo with an API key (or none). */
export function echo(client, key, text = "hello") {
  return unary(
    client,
    "/bench.v1.EchoService/Echo",
    echoRequest(text),
    key ? { "x-api-key": key } : {},
  );
}

/**
 * grpc.health.v1 Check of the whole server on a fresh connection; resolves "SERVING",
 * "NOT_SERVING", … or the gRPC error code name, never rejects.
 */
export async function healthCheck(port, deadlineMs = 3_000) {
  const client = rawClient(port);
  try {
    const result = await unary(
      client,
      "/grpc.health.v1.Health/Check",
      Buffer.alloc(0),
      {},
      deadlineMs,
    );
    if (result.code !== 0) return result.codeName;
    // HealthCheckResponse { status (1): enum }; an empty message is status 0 (UNKNOWN).
    const status = result.response?.[0] === 0x08 ? result.response[1] : 0;
    return ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"][status] ?? String(status);
  } finally {
    client.close();
  }
}

export { grpc };
