import { OpenAPIHono } from "@hono/zod-openapi";
import type { CallKind, RequestLogSinkStats, ServiceBaseKind } from "@grpc-cfg/runtime";
import type { MonitorData, TimeWindow } from "../data/monitor-data.js";
import type { AdminEnv } from "../http/admin-auth.js";
import { validationHook } from "../http/validation-hook.js";
import { iso } from "../schemas/common.js";

/**
 * A method the running server registered. The generated manifest's `MethodPolicy` and the
 * runtime's `MethodDescription` (from `server.describe()`) both fit.
 */
export interface RegisteredMethod {
  readonly name: string;
  readonly path: string;
  readonly callKind: CallKind;
  /** `public` / `optional` / `required` (manifest) or a description such as `staff` (runtime). */
  readonly auth?: string;
  readonly staffOnly?: boolean;
  readonly superuserOnly?: boolean;
  readonly permission?: string | null;
  readonly readOnly?: boolean;
}

/**
 * A service the running server registered: a manifest entry (`ServiceManifestEntry`, methods
 * keyed by rpc name) or a runtime `ServiceDescription` (methods as a list).
 */
export interface RegisteredService {
  /** Fully qualified proto name, e.g. `shop.v1.UserService`. */
  readonly fullName: string;
  /** Proto file declaring it (manifest entries). */
  readonly protoFile?: string | null;
  readonly baseKind?: ServiceBaseKind | null;
  readonly methods: Readonly<Record<string, RegisteredMethod>> | readonly RegisteredMethod[];
}

/** What the running server registered. */
export interface ServiceRegistry {
  readonly services: readonly RegisteredService[];
}

/** A registered service's methods as a list, in declaration order. */
export function methodsOf(service: RegisteredService): readonly RegisteredMethod[] {
  return Array.isArray(service.methods)
    ? (service.methods as readonly RegisteredMethod[])
    : Object.values(service.methods as Readonly<Record<string, RegisteredMethod>>);
}

/** What every route module gets. */
export interface RouteContext {
  readonly data: MonitorData;
  readonly registry: ServiceRegistry;
  readonly instanceId: string;
  /** Stats of the database log sink, for the health endpoint; absent when not wired. */
  readonly logSinkStats: (() => RequestLogSinkStats) | null;
}

/** A route module's router: admin env, shared validation-error hook. */
export function createRouter(): OpenAPIHono<AdminEnv> {
  return new OpenAPIHono<AdminEnv>({ defaultHook: validationHook });
}

/** The window ending now and reaching `hours` back. */
export function windowOf(hours: number, now = new Date()): TimeWindow {
  return { from: new Date(now.getTime() - hours * 3_600_000), to: now };
}

/** The window as the API reports it. */
export function windowView(window: TimeWindow, hours: number) {
  return { from: iso(window.from), to: iso(window.to), hours };
}

/** `errors / requests` as a percentage rounded to 0.01; 0 when there were no requests. */
export function rate(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 100;
}
