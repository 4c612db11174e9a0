import type { CommandModule } from "yargs";
import type { GrpcCallError } from "@grpc-cfg/client";
import { DEFAULT_ADDRESS, resolveAddress, withConnectionOptions } from "./call/connection-args.js";
import type { ConnectionArgs } from "./call/connection-args.js";
import { BigIntegers } from "./call/big-integers.js";
import { callTarget } from "./call/positional-args.js";
import {
  ignoredStdinHoldsData,
  readRequestStream,
  readSingleRequest,
  requestSource,
} from "./call/request-input.js";
import { formatJson, printMetadata, writeLine } from "./call/response-output.js";
import { runWithClient } from "./call/run-with-client.js";

/** A failed call's status as the client reports it (GrpcCallError, loaded lazily). */
function isCallError(error: unknown): error is GrpcCallError {
  return error instanceof Error && error.name === "GrpcCallError";
}

interface CallArgs extends ConnectionArgs {
  address: string;
  method?: string;
  data?: string;
  compact?: boolean;
  emitDefaults?: boolean;
  verbose?: boolean;
}

const EXAMPLES = `Examples:
  grpc-cfg call 127.0.0.1:50051 shop.v1.UserService/GetUser -d '{"id": "1"}'
  grpc-cfg call shop.v1.UserService.GetUser -d @request.json -H 'x-api-key: KEY'
  cat users.ndjson | grpc-cfg call 127.0.0.1:50051 shop.v1.UserService/BatchCreateUsers

Client-streaming and bidi methods read JSON objects one after another (one per line, or
several on a line as grpcurl and buf curl take them) from -d, -d @file or stdin. Unary and
server-streaming methods take one object, and read stdin only with -d @- (without -d they
send {}). Streamed responses print as NDJSON; a single response prints as pretty JSON.
A failed call prints "ERROR: <CODE_NAME> (<code>): <message>" to stderr.
Exit status: 0 ok, 1 the call failed (any gRPC status but OK) or bad input, 2 bad usage.`;

/** `grpc-cfg call`: invoke any method of a running server with JSON, through reflection. */
export const callCommand: CommandModule<object, CallArgs> = {
  command: "call <address> [method]",
  describe: "Call a method of a running server with JSON (through reflection)",
  builder: (yargs) =>
    withConnectionOptions(
      yargs
        .positional("address", {
          type: "string",
          demandOption: true,
          describe: `host:port; may be left out (then $GRPC_CFG_ADDRESS or ${DEFAULT_ADDRESS})`,
        })
        .positional("method", {
          type: "string",
          describe: "pkg.Service/Method or pkg.Service.Method",
        })
        .option("data", {
          alias: "d",
          type: "string",
          describe:
            "Request JSON, @file, or @- for stdin (streaming input: objects one after another)",
        })
        .option("compact", { type: "boolean", describe: "Print a single response on one line" })
        .option("emit-defaults", {
          type: "boolean",
          describe: "Print fields that hold default values",
        })
        .option("verbose", {
          alias: "v",
          type: "boolean",
          describe: "Print response headers and trailers to stderr (of a failed call too)",
        })
        .epilog(EXAMPLES),
    ),
  handler: async (argv) => {
    // One positional means it is the method: `grpc-cfg call pkg.Svc/Method`.
    const target = callTarget(argv.address, argv.method);
    const address = resolveAddress(target.address);
    const methodName = target.method;
    await runWithClient(address, argv, async (client) => {
      const method = await client.resolveMethod(methodName);
      const streamingInput =
        method.callKind === "client_streaming" || method.callKind === "bidi_streaming";
      const source = requestSource(argv.data, streamingInput);
      // `echo '{"id": 1}' | grpc-cfg call … Delete` would otherwise send {} without a word.
      if (argv.data === undefined && !streamingInput && (await ignoredStdinHoldsData())) {
        process.stderr.write(
          `warning: stdin is ignored: ${method.path.slice(1)} takes one request, from -d (sending {}); ` +
            "use -d @- to read it from stdin\n",
        );
      }
      const numbers = new BigIntegers((typeName) => client.describe(typeName));
      // A stream's headers, printed by --verbose as soon as they come.
      let streamHeaders: Promise<void> | undefined;
      try {
        const parsing = { numbers, inputType: method.inputType };
        const input = streamingInput
          ? readRequestStream(source, parsing)
          : await readSingleRequest(source, parsing);
        const result = await client.invoke(method.path, input, {
          emitDefaults: Boolean(argv.emitDefaults),
        });
        if (result.kind === "unary" || result.kind === "client_streaming") {
          if (argv.verbose) printMetadata("response headers", result.headers);
          await writeLine(formatJson(result.response, Boolean(argv.compact)));
          if (argv.verbose) printMetadata("response trailers", result.trailers);
          return;
        }
        if (argv.verbose) {
          streamHeaders = result.headers.then((headers) => {
            printMetadata("response headers", headers);
          });
        }
        for await (const response of result.responses) await writeLine(JSON.stringify(response));
        if (argv.verbose) printMetadata("response trailers", await result.trailers);
      } catch (error) {
        // A failed call's metadata holds what finds it in the server's log (x-request-id).
        if (argv.verbose && isCallError(error)) {
          // A stream's headers settle once the call has ended.
          if (streamHeaders) await streamHeaders;
          else printMetadata("response headers", error.headers);
          printMetadata("response trailers", error.trailers);
        }
        // A number that JSON made inexact is quoted as typed.
        if (error instanceof Error && error.name === "DynamicClientError") {
          error.message = numbers.explain(error.message);
        }
        throw error;
      } finally {
        // The call may end before stdin does (server error, deadline); stop reading it so the
        // process can exit.
        if (source.kind === "stdin") process.stdin.destroy();
      }
    });
  },
};
