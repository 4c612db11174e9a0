import type { z } from "@hono/zod-openapi";
import type { ServiceLogFigures } from "../data/monitor-data.js";
import { iso } from "../schemas/common.js";
import type { ServiceFiguresSchema } from "../schemas/monitor.js";
import { methodsOf, rate, type ServiceRegistry } from "./route-context.js";

type ServiceFiguresView = z.infer<typeof ServiceFiguresSchema>;

/**
 * Merges what this server registered with what the request log saw: a registered service
 * with no calls still shows (with zeros), and a service only other instances serve (or that
 * was removed) still shows its figures, marked `registered: false`.
 */
export function mergeServiceFigures(
  registry: ServiceRegistry,
  logged: readonly ServiceLogFigures[],
): ServiceFiguresView[] {
  const byName = new Map(logged.map((f) => [f.service, f]));
  const names = new Set([...registry.services.map((s) => s.fullName), ...byName.keys()]);
  const registered = new Map(registry.services.map((s) => [s.fullName, s]));
  return [...names].sort().map((name) => figuresOf(name, registered.get(name), byName.get(name)));
}

/** Figures of one service (zeros when the log has none). */
export function figuresOf(
  name: string,
  service: ServiceRegistry["services"][number] | undefined,
  logged: ServiceLogFigures | undefined,
): ServiceFiguresView {
  const requests = logged?.requests ?? 0;
  const errors = logged?.errors ?? 0;
  return {
    name,
    registered: service !== undefined,
    methodCount: service ? methodsOf(service).length : 0,
    requests,
    errors,
    errorRate: rate(errors, requests),
    avgDurationMs: logged?.avgDurationMs ?? null,
    p95Ms: logged?.p95Ms ?? null,
    lastRequestAt: iso(logged?.lastRequestAt ?? null),
  };
}
