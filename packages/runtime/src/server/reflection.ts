import type { ServiceDefinition } from "@grpc/grpc-js";
import { ServerReflection, ServerReflectionService } from "nice-grpc-server-reflection";
import { HEALTH_DESCRIPTOR_SET, HEALTH_SERVICE_NAME } from "./health-descriptor.js";

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
 * Reflection implementation over the descriptor set, listing `serviceNames` and the health
 * service. The health file is appended unless the app's set already has it (a project that
 * compiles health.proto itself); the copy also matters because the library slices the set
 * lazily and assumes it never changes.
 */
export function createReflection(
  descriptorSet: Uint8Array,
  serviceNames: readonly string[],
): ReturnType<typeof ServerReflection> {
  const hasHealth = Buffer.from(descriptorSet).includes("grpc/health/v1/health.proto");
  const set = new Uint8Array(descriptorSet.length + (hasHealth ? 0 : HEALTH_DESCRIPTOR_SET.length));
  set.set(descriptorSet);
  if (!hasHealth) set.set(HEALTH_DESCRIPTOR_SET, descriptorSet.length);
  const names = serviceNames.includes(HEALTH_SERVICE_NAME)
    ? serviceNames
    : [...serviceNames, HEALTH_SERVICE_NAME];
  return ServerReflection(set, names);
}
