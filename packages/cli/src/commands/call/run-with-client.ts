import type { DynamicClient, DynamicClientError, GrpcCallError } from "@grpc-cfg/client";
import { CliError } from "../../util/cli-error.js";
import { connectionOptions, DEFAULT_MAX_MSG_SIZE } from "./connection-args.js";
import type { ConnectionArgs } from "./connection-args.js";
import {
  connectionFailureHint,
  isConnectionFailure,
  messageSizeHint,
  readableStatusMessage,
  type ConnectionTarget,
} from "./connection-failure.js";
import { silenceIpServernameWarning } from "./ip-servername-warning.js";

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
  const options = await connectionOptions(args);
  if (options.tls) silenceIpServernameWarning();
  const client = clientModule.createDynamicClient(address, options);
  try {
    await body(client);
  } catch (error) {
    if (error instanceof clientModule.GrpcCallError) {
      printGrpcError(error, {
        address,
        tls: Boolean(options.tls),
        servername: args.servername,
        clientCert: Boolean(args.cert),
        maxMsgSize: options.maxReceiveMessageBytes ?? DEFAULT_MAX_MSG_SIZE,
      });
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
export function printGrpcError(error: GrpcCallError, target: ConnectionTarget): void {
  const message = readableStatusMessage(error);
  process.stderr.write(`ERROR: ${error.codeName} (${error.code}): ${message}\n`);
  for (const detail of error.details) process.stderr.write(`  detail: ${JSON.stringify(detail)}\n`);
  if (isConnectionFailure(error)) {
    process.stderr.write(`hint: ${connectionFailureHint(error, target)}\n`);
  }
  const sizeHint = messageSizeHint(error, target);
  if (sizeHint) process.stderr.write(`hint: ${sizeHint}\n`);
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
