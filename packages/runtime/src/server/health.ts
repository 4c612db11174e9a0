import type { ServerMiddleware } from "nice-grpc-common";
import { HealthState } from "nice-grpc-server-health";
import type { HealthStatus } from "nice-grpc-server-health";
import { isAbortError } from "../middleware/call-state.js";
import { HEALTH_SERVICE_NAME } from "./health-descriptor.js";
import { REFLECTION_SERVICES } from "./reflection.js";

/**
 * Services every server serves beside the app's. Load balancers and
 * `grpc_health_probe -service=…` probe them by name, so they report like the others instead
 * of NOT_FOUND.
 */
const STANDARD_SERVICES: readonly string[] = [HEALTH_SERVICE_NAME, ...REFLECTION_SERVICES];

/** Per-service serving status, as grpc.health.v1 reports it. */
export interface ServerHealth {
  /** The underlying nice-grpc-server-health state (emits `change`). */
  readonly state: HealthState;
  /** Marks one service (or `""`, the whole server) serving or not. */
  setServing(service: string, serving: boolean): void;
  /** Marks every known service and the server itself. */
  setAll(serving: boolean): void;
  /** Current status of a service (`""` = the server). */
  status(service?: string): HealthStatus;
}

/**
 * Health state over `services`, the standard services (health, reflection v1 and v1alpha) and
 * the server as a whole (`""`), all initially NOT_SERVING.
 */
export function createServerHealth(services: readonly string[]): ServerHealth {
  const state = HealthState();
  const known = new Set(["", ...STANDARD_SERVICES, ...services]);
  const health: ServerHealth = {
    state,
    setServing(service, serving) {
      known.add(service);
      state.setStatus(serving ? "healthy" : "unhealthy", service);
    },
    setAll(serving) {
      for (const service of known) state.setStatus(serving ? "healthy" : "unhealthy", service);
    },
    status: (service = "") => state.getStatus(service),
  };
  health.setAll(false);
  return health;
}

/**
 * Ends long-lived calls (health Watch) when the server shuts down, so a graceful shutdown
 * need not wait for them. Calls opt in with `context.abortOnTerminate()` (the convention
 * nice-grpc-server-health already follows).
 */
export class CallTerminator {
  #controllers = new Set<AbortController>();
  #terminated = false;

  /** Aborts every opted-in call; later opt-ins abort at once. */
  terminate(): void {
    this.#terminated = true;
    for (const controller of this.#controllers) controller.abort();
    this.#controllers.clear();
  }

  /** Middleware providing `abortOnTerminate()`; a terminated call ends with OK. */
  middleware(): ServerMiddleware<{ abortOnTerminate(): void }> {
    const controllers = this.#controllers;
    const isTerminated = () => this.#terminated;
    return async function* terminatorMiddleware(call, context) {
      const controller = new AbortController();
      const forward = () => controller.abort();
      context.signal.addEventListener("abort", forward);
      try {
        return yield* call.next(call.request, {
          ...context,
          signal: controller.signal,
          abortOnTerminate() {
            if (isTerminated()) controller.abort();
            else controllers.add(controller);
          },
        });
      } catch (error) {
        if (isAbortError(error) && isTerminated() && !context.signal.aborted) return;
        throw error;
      } finally {
        context.signal.removeEventListener("abort", forward);
        controllers.delete(controller);
      }
    };
  }
}
