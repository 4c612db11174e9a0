// A real nice-grpc server for the dynamic client's tests: EchoService (all four call kinds)
// plus server reflection in the flavour a test asks for.
import { readFileSync } from "node:fs";
import { ServerCredentials } from "@grpc/grpc-js";
import { createServer, ServerError, Status } from "nice-grpc";
import type { CallContext, Server } from "nice-grpc";
import { BadRequest, errorDetailsServerMiddleware, RichServerError } from "nice-grpc-error-details";
import { ServerReflection, ServerReflectionService } from "nice-grpc-server-reflection";
import { EchoServiceDefinition } from "./gen/grpccfg/testing/v1/echo.js";
import type { EchoServiceImplementation } from "./gen/grpccfg/testing/v1/echo.js";

/** Which reflection services the test server registers. */
export type ReflectionFlavour = "v1" | "v1alpha" | "both" | "none";

/** The descriptor set `buf build` made from testdata/proto (imports included). */
export const testProtoset = readFileSync(new URL("./gen/testing.binpb", import.meta.url));

export const ECHO_SERVICE = "grpccfg.testing.v1.EchoService";

/**
 * nice-grpc-server-reflection implements only grpc.reflection.v1. v1alpha has the same
 * messages under another package, so the same handler served at the v1alpha path is a
 * faithful v1alpha server.
 */
const ServerReflectionV1AlphaService = {
  serverReflectionInfo: {
    ...ServerReflectionService.serverReflectionInfo,
    path: "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
  },
};

/** A running test server. */
export interface EchoServer {
  address: string;
  /** Request metadata of every EchoService.Echo call, in arrival order. */
  seenMetadata: Record<string, string>[];
  /** How many reflection requests the server has answered (to observe client caching). */
  reflectionRequests(): number;
  close(): Promise<void>;
}

/** How to start the test server. */
export interface EchoServerOptions {
  /** Which reflection services to register; v1 by default. */
  reflection?: ReflectionFlavour;
  /** Descriptor set served by reflection; the full test set by default. */
  protoset?: Uint8Array;
  /** Serve TLS with this PEM certificate and key instead of plaintext. */
  tls?: { cert: Buffer; key: Buffer };
}

function textMetadata(context: CallContext): Record<string, string> {
  const seen: Record<string, string> = {};
  for (const [key, value] of context.metadata) {
    if (typeof value === "string") seen[key] = value;
    else if (Array.isArray(value) && typeof value[0] === "string") seen[key] = value.join(",");
  }
  return seen;
}

function echoService(seenMetadata: Record<string, string>[]): EchoServiceImplementation {
  return {
    async echo(request, context) {
      const metadata = textMetadata(context);
      seenMetadata.push(metadata);
      context.header.set("x-echo-header", "from-server");
      context.trailer.set("x-echo-trailer", "done");
      return { note: request.note, metadata, receivedAt: new Date("2024-05-06T07:08:09.500Z") };
    },
    async *count(request) {
      for (let number = 1; number <= request.count; number++) yield { number };
    },
    async sum(requests) {
      let total = 0;
      let count = 0;
      for await (const request of requests) {
        total += request.value;
        count++;
      }
      return { total, count };
    },
    async *chat(requests) {
      let sequence = 0;
      for await (const request of requests) {
        sequence++;
        yield { text: `echo: ${request.text}`, sequence };
      }
    },
    async fail(request) {
      if (request.badField) {
        throw new RichServerError(request.code, request.message, [
          BadRequest.fromPartial({
            fieldViolations: [{ field: request.badField, description: "is wrong" }],
          }),
        ]);
      }
      throw new ServerError(request.code, request.message);
    },
    async sleep(request, context) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, request.millis);
        context.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new ServerError(Status.CANCELLED, "client went away"));
        });
      });
      return { sleptMillis: request.millis };
    },
  };
}

type ReflectionImplementation = ReturnType<typeof ServerReflection>;

/** Wraps a reflection implementation to count the requests it answers. */
function countingReflection(
  implementation: ReflectionImplementation,
  onRequest: () => void,
): ReflectionImplementation {
  return {
    serverReflectionInfo(requests, context) {
      async function* counted() {
        for await (const request of requests) {
          onRequest();
          yield request;
        }
      }
      return implementation.serverReflectionInfo(counted(), context);
    },
  };
}

/** Starts the test server on 127.0.0.1 with a free port. */
export async function startEchoServer(options: EchoServerOptions = {}): Promise<EchoServer> {
  const reflection = options.reflection ?? "v1";
  const seenMetadata: Record<string, string>[] = [];
  let reflectionRequests = 0;
  const server: Server = createServer().use(errorDetailsServerMiddleware);
  server.add(EchoServiceDefinition, echoService(seenMetadata));
  const reflectionImpl = countingReflection(
    ServerReflection(options.protoset ?? testProtoset, [ECHO_SERVICE]),
    () => reflectionRequests++,
  );
  if (reflection === "v1" || reflection === "both") {
    server.add(ServerReflectionService, reflectionImpl);
  }
  if (reflection === "v1alpha" || reflection === "both") {
    server.add(ServerReflectionV1AlphaService, reflectionImpl);
  }
  const credentials = options.tls
    ? ServerCredentials.createSsl(null, [
        { cert_chain: options.tls.cert, private_key: options.tls.key },
      ])
    : ServerCredentials.createInsecure();
  const port = await server.listen("127.0.0.1:0", credentials);
  return {
    address: `127.0.0.1:${port}`,
    seenMetadata,
    reflectionRequests: () => reflectionRequests,
    close: () => server.shutdown(),
  };
}
