/**
 * grpc.reflection.v1.ServerReflection and v1alpha (https://github.com/grpc/grpc/blob/master/
 * doc/server-reflection.md) over a {@link DescriptorIndex}, answering as grpc-go does: every
 * response echoes the request, a file comes with the imports not yet sent on the stream, and
 * a failed lookup is a NOT_FOUND `error_response` that leaves the stream open.
 */
import type { MethodDefinition, ServiceImplementation } from "nice-grpc";
import { Status } from "nice-grpc-common";
import type { DescriptorIndex, IndexedFile } from "./descriptor-index.js";
import { decodeReflectionRequest, encodeReflectionResponse } from "./messages.js";
import type { ReflectionAnswer, ReflectionRequest, ReflectionResponse } from "./messages.js";

/** The reflection service: one bidi method, the same for v1 and v1alpha but for its path. */
export type ReflectionServiceDefinition = {
  readonly serverReflectionInfo: MethodDefinition<
    ReflectionRequest,
    ReflectionRequest,
    ReflectionResponse,
    ReflectionResponse,
    true,
    true
  >;
};

/** The implementation nice-grpc's `server.add` takes for a {@link ReflectionServiceDefinition}. */
export type ReflectionImplementation = ServiceImplementation<ReflectionServiceDefinition>;

function definition(version: "v1" | "v1alpha"): ReflectionServiceDefinition {
  return {
    serverReflectionInfo: {
      path: `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
      requestStream: true,
      responseStream: true,
      requestSerialize: (request) => request.raw,
      requestDeserialize: decodeReflectionRequest,
      responseSerialize: encodeReflectionResponse,
      // The server never decodes a response; a client of this definition is not supported.
      responseDeserialize: () => {
        throw new Error("reflection responses are only encoded here");
      },
      options: {},
    },
  };
}

/** grpc.reflection.v1.ServerReflection. */
export const ServerReflectionService: ReflectionServiceDefinition = definition("v1");

/** grpc.reflection.v1alpha.ServerReflection: the same messages under the older path. */
export const ServerReflectionV1AlphaService: ReflectionServiceDefinition = definition("v1alpha");

/** Answers reflection streams from `index`, listing `serviceNames` for `list_services`. */
export function reflectionImplementation(
  index: DescriptorIndex,
  serviceNames: readonly string[],
): ReflectionImplementation {
  return {
    async *serverReflectionInfo(requests) {
      // Files sent on this stream: a client keeps what it got, so imports go only once.
      const sent = new Set<string>();
      for await (const request of requests) {
        yield {
          validHost: request.host,
          originalRequest: request.raw,
          answer: answer(index, serviceNames, request, sent),
        };
      }
    },
  };
}

function answer(
  index: DescriptorIndex,
  serviceNames: readonly string[],
  { query }: ReflectionRequest,
  sent: Set<string>,
): ReflectionAnswer {
  switch (query.kind) {
    case "fileByFilename":
      return withImports(index, index.file(query.name), sent, `File not found: ${query.name}`);
    case "fileContainingSymbol":
      return withImports(
        index,
        index.fileOfSymbol(query.symbol),
        sent,
        `Symbol not found: ${query.symbol}`,
      );
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = query;
      return withImports(
        index,
        index.fileOfExtension(containingType, extensionNumber),
        sent,
        `Extension not found: ${containingType}(${extensionNumber})`,
      );
    }
    case "allExtensionNumbersOfType": {
      const numbers = index.extensionNumbers(query.typeName);
      if (numbers.length === 0 && !index.fileOfSymbol(query.typeName)) {
        return notFound(`Type not found: ${query.typeName}`);
      }
      return { kind: "extensionNumbers", baseTypeName: query.typeName, numbers };
    }
    case "listServices":
      return { kind: "services", names: serviceNames };
    case "none":
      return { kind: "error", code: Status.UNIMPLEMENTED, message: "Unknown reflection request" };
  }
}

/**
 * `file` first (always, even if sent before: the client asked for it), then its transitive
 * imports not yet sent on this stream, breadth first as grpc-go orders them. An import the
 * index lacks is left out rather than failing the answer.
 */
function withImports(
  index: DescriptorIndex,
  file: IndexedFile | undefined,
  sent: Set<string>,
  missing: string,
): ReflectionAnswer {
  if (!file) return notFound(missing);
  const files = [file.bytes];
  sent.add(file.name);
  const queue = [...file.dependencies];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const dependency = index.file(name);
    if (!dependency || sent.has(name)) continue;
    sent.add(name);
    files.push(dependency.bytes);
    queue.push(...dependency.dependencies);
  }
  return { kind: "files", files };
}

function notFound(message: string): ReflectionAnswer {
  return { kind: "error", code: Status.NOT_FOUND, message };
}
