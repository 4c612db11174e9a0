import type { z } from "@hono/zod-openapi";
import type { ServiceLogFigures } from "../data/monitor-data.js";
import { iso } from "../schemas/common.js";
import type { ServiceFiguresSchema, UnlistedServicesSchema } from "../schemas/monitor.js";
import { isServiceName } from "../schemas/params.js";
import { methodsOf, rate, type ServiceRegistry } from "./route-context.js";

type ServiceFiguresView = z.infer<typeof ServiceFiguresSchema>;

/** Services the request log names that no listing can show: see {@link UnlistedServicesSchema}. */
type UnlistedServices = z.infer<typeof UnlistedServicesSchema>;

/**
 * Merges what this server registered with what the request log saw: a registered service
 * with no calls still shows (with zeros), and a service only other instances serve (or that
 * was removed) still shows its figures, marked `registered: false`. A logged name the detail
 * route would refuse (too long: a malformed path logged whole) is not listed, only counted in
 * `unlisted`, so every listed name has a detail page.
 */
export function mergeServiceFigures(
  registry: ServiceRegistry,
  logged: readonly ServiceLogFigures[],
): { items: ServiceFiguresView[]; unlisted: UnlistedServices } {
  const unlisted = { services: 0, requests: 0 };
  const byName = new Map<string, ServiceLogFigures>();
  for (const figures of logged) {
    if (isServiceName(figures.service)) {
      byName.set(figures.service, figures);
    } else {
      unlisted.services += 1;
      unlisted.requests += figures.requests;
    }
  }
  const names = new Set([...registry.services.map((s) => s.fullName), ...byName.keys()]);
  const registered = new Map(registry.services.map((s) => [s.fullName, s]));
  const items = [...names]
    .sort()
    .map((name) => figuresOf(name, registered.get(name), byName.get(name)));
  return { items, unlisted };
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
