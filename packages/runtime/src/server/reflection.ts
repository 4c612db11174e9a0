import type { ServiceDefinition } from "@grpc/grpc-js";
import { ServerReflection, ServerReflectionService } from "nice-grpc-server-reflection";

/** Paths of the reflection services the server exposes. */
export const REFLECTION_SERVICES = [
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
] as const;

/**
 * grpc.reflection.v1alpha has the same messages on the wire as v1; nice-grpc-server-
 * reflection only ships v1, so v1alpha is the v1 definition under the older path (old
 * grpcurl and some IDEs still ask for v1alpha; `buf curl` tries v1 first).
 */
export const ServerReflectionV1AlphaService = Object.fromEntries(
  Object.entries(ServerReflectionService as ServiceDefinition).map(([key, method]) => [
    key,
    { ...method, path: method.path.replace("grpc.reflection.v1.", "grpc.reflection.v1alpha.") },
  ]),
) as unknown as typeof ServerReflectionService;

/**
 * Reflection implementation over the descriptor set, listing `serviceNames`. The set is
 * copied because the library slices it lazily and assumes it never changes.
 */
export function createReflection(
  descriptorSet: Uint8Array,
  serviceNames: readonly string[],
): ReturnType<typeof ServerReflection> {
  return ServerReflection(Uint8Array.from(descriptorSet), serviceNames);
}
