import type { MethodDescriptor } from "nice-grpc-common";
import type { CallKind } from "../contracts/method-table.js";
import type { ServiceBaseKind } from "../contracts/method-table.js";
import type { DiscoveredService } from "../discovery/discover-services.js";
import type { MethodHandler } from "../middleware/after-chain.js";
import type { RouteInfo } from "../middleware/call-state.js";
import { isReadOnlyMethod } from "../middleware/call-state.js";

/** What a generated definition says about one method (ts-proto's nice-grpc shape). */
type DefinitionMethod = {
  readonly requestStream?: boolean;
  readonly responseStream?: boolean;
  readonly options?: MethodDescriptor["options"];
};

/** One served method, for banners and the monitor. */
export interface MethodDescription {
  readonly name: string;
  readonly path: string;
  readonly callKind: CallKind;
  readonly auth: string;
  readonly readOnly: boolean;
}

/** One served application service. */
export interface ServiceDescription {
  readonly fullName: string;
  readonly className: string;
  readonly file: string;
  readonly baseKind: ServiceBaseKind;
  readonly methods: readonly MethodDescription[];
}

/** Puts one method's handler behind the call pipeline. */
export type WrapHandler = (
  path: string,
  method: MethodDescriptor,
  handler: MethodHandler,
) => MethodHandler;

/**
 * nice-grpc implementation object for a discovered service: each definition key calls the
 * instance's handler named by the method table (which may differ when the generator renamed a
 * colliding rpc), behind `wrap`. Throws when the table and the definition disagree.
 */
export function buildImplementation(
  service: DiscoveredService,
  wrap: WrapHandler = (_path, _method, handler) => handler,
): Record<string, MethodHandler> {
  const { entry } = service;
  const instance = service.implementation as Record<string, unknown>;
  const definitions = entry.definition.methods as Record<string, DefinitionMethod | undefined>;
  const implementation: Record<string, MethodHandler> = {};
  for (const policy of Object.values(entry.methods)) {
    const handler = instance[policy.handler];
    if (typeof handler !== "function") {
      throw new Error(`${service.className} lacks ${policy.handler}() for ${policy.path}`);
    }
    const definition = definitions[policy.definitionKey];
    const method: MethodDescriptor = {
      path: policy.path,
      requestStream: definition?.requestStream ?? false,
      responseStream: definition?.responseStream ?? false,
      options: definition?.options ?? {},
    };
    implementation[policy.definitionKey] = wrap(
      policy.path,
      method,
      (handler as MethodHandler).bind(instance),
    );
  }
  for (const key of Object.keys(entry.definition.methods)) {
    if (!(key in implementation)) {
      throw new Error(
        `${entry.fullName}: method "${key}" is in the definition but not in the method table; regenerate the code`,
      );
    }
  }
  return implementation;
}

/** Route table over the served services, by gRPC path. */
export function buildRoutes(services: readonly DiscoveredService[]): Map<string, RouteInfo> {
  const routes = new Map<string, RouteInfo>();
  for (const { entry } of services) {
    for (const policy of Object.values(entry.methods)) {
      routes.set(policy.path, { policy, service: entry.fullName, baseKind: entry.baseKind });
    }
  }
  return routes;
}

/** Description of the served services. */
export function describeServices(services: readonly DiscoveredService[]): ServiceDescription[] {
  return services.map(({ entry, className, file }) => ({
    fullName: entry.fullName,
    className,
    file,
    baseKind: entry.baseKind,
    methods: Object.values(entry.methods).map((policy) => ({
      name: policy.name,
      path: policy.path,
      callKind: policy.callKind,
      auth: policy.superuserOnly
        ? "superuser"
        : policy.staffOnly
          ? "staff"
          : policy.permission !== null
            ? `permission:${policy.permission}`
            : policy.auth,
      readOnly: isReadOnlyMethod(entry.baseKind, policy),
    })),
  }));
}
