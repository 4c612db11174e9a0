import type { DynamicClient, DynamicClientError, GrpcCallError } from "@grpc-cfg/client";
import { CliError } from "../../util/cli-error.js";
import { connectionOptions } from "./connection-args.js";
import type { ConnectionArgs } from "./connection-args.js";

const UNAVAILABLE = 14;

/**
 * How grpc-js (1.14) words the UNAVAILABLE statuses it makes itself when it cannot reach a
 * server: pick-first's "No connection established. Last error: …" (refused, TLS mismatch,
 * not an HTTP/2 server), the resolver's "Name resolution failed for target …" and
 * "Failed to parse DNS address …", and "Connection dropped". A server may send UNAVAILABLE
 * too ("Authentication backend unavailable"): it is up, so it gets no "is a server
 * listening?" hint.
 */
const CONNECTION_FAILURE =
  /^(?:No connection established\b|Name resolution failed for target |Failed to parse DNS address |Connection dropped$)/;

/**
 * True when the failed call never reached a server. Besides the wording, a status made by
 * grpc-js carries no metadata, while a server's (say, a proxy passing on its own upstream's
 * "No connection established") comes with at least its response headers in a
 * trailers-only response.
 */
export function isConnectionFailure(error: GrpcCallError): boolean {
  return (
    error.code === UNAVAILABLE &&
    CONNECTION_FAILURE.test(error.statusMessage) &&
    Object.keys(error.trailers).length === 0
  );
}

/**
 * Opens a dynamic client, runs `body`, and reports failures the CLI way:
 * a non-OK gRPC status prints `ERROR: <CODE_NAME> (<num>): <message>` (plus any details) to
 * stderr and exits 1; client-side problems (bad input, unknown names) become CliErrors.
 */
export async function runWithClient(
  address: string,
  args: ConnectionArgs,
  body: (client: DynamicClient) => Promise<void>,
): Promise<void> {
  // Loaded here, not at the top, so other commands do not pay for grpc-js and protobuf-es.
  const clientModule = await import("@grpc-cfg/client");
  const client = clientModule.createDynamicClient(address, await connectionOptions(args));
  try {
    await body(client);
  } catch (error) {
    if (error instanceof clientModule.GrpcCallError) {
      printGrpcError(error, address);
      process.exitCode = 1;
      return;
    }
    if (error instanceof clientModule.DynamicClientError) {
      throw new CliError(error.message, { hint: hintFor(error, address), cause: error });
    }
    throw error;
  } finally {
    client.close();
  }
}

/** Prints a failed call's status and details to stderr. */
export function printGrpcError(error: GrpcCallError, address: string): void {
  process.stderr.write(`ERROR: ${error.codeName} (${error.code}): ${error.statusMessage}\n`);
  for (const detail of error.details) process.stderr.write(`  detail: ${JSON.stringify(detail)}\n`);
  if (isConnectionFailure(error)) {
    process.stderr.write(
      `hint: is a gRPC server listening on ${address}? (--tls if it uses TLS)\n`,
    );
  }
}

function hintFor(error: DynamicClientError, address: string): string | undefined {
  switch (error.reason) {
    case "invalid-input":
      return "grpc-cfg describe <request type> shows the fields; JSON uses proto3 mapping (int64 as strings, enums by name).";
    case "unknown-symbol":
    case "ambiguous-symbol":
      return `grpc-cfg services --long ${address} lists the services and their methods.`;
    case "no-reflection":
      return "Enable server reflection (grpc.reflection.v1 or v1alpha) on that server.";
    default:
      return undefined;
  }
}
