import { HEALTH_DESCRIPTOR_SET, HEALTH_SERVICE_NAME } from "./health-descriptor.js";
import { DescriptorIndex } from "./reflection/descriptor-index.js";
import { RPC_STATUS_DESCRIPTOR_SET } from "./reflection/rpc-status-descriptor.js";
import { reflectionImplementation } from "./reflection/service.js";
import type { ReflectionImplementation } from "./reflection/service.js";

export { ServerReflectionService, ServerReflectionV1AlphaService } from "./reflection/service.js";
export type {
  ReflectionImplementation,
  ReflectionServiceDefinition,
} from "./reflection/service.js";

/** Paths of the reflection services the server exposes. */
export const REFLECTION_SERVICES = [
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
] as const;

/**
 * Reflection over the app's descriptor set, parsed once here, listing `serviceNames` and the
 * health service. Beside the app's files it serves, unless the app's set already has them,
 * grpc/health/v1/health.proto (so clients can call health by name) and google/rpc/status.proto
 * and error_details.proto with their imports (so reflection clients such as grpcurl decode
 * the error details the server sends); those are described, not listed as services.
 */
export function createReflection(
  descriptorSet: Uint8Array,
  serviceNames: readonly string[],
): ReflectionImplementation {
  const index = new DescriptorIndex();
  index.addSet(descriptorSet);
  index.addMissing(HEALTH_DESCRIPTOR_SET);
  index.addMissing(RPC_STATUS_DESCRIPTOR_SET);
  const names = serviceNames.includes(HEALTH_SERVICE_NAME)
    ? serviceNames
    : [...serviceNames, HEALTH_SERVICE_NAME];
  return reflectionImplementation(index, names);
}
