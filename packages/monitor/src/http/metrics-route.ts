import { createHash, timingSafeEqual } from "node:crypto";
import { gatherFromCluster, provideToCluster, type Authenticator } from "@grpc-cfg/runtime";
import type { Env, Hono } from "hono";
import type { MonitorMetrics } from "../metrics/create-metrics.js";
import { mergePrometheusText } from "../metrics/merge-text.js";
import { PROMETHEUS_CONTENT_TYPE } from "../metrics/prometheus-text.js";
import { labelWorkerText } from "../metrics/worker-labels.js";
import { requireAdmin } from "./admin-auth.js";
import { ApiError } from "./errors.js";

/**
 * Who may scrape `/metrics`:
 * - `"admin"` (default): the same admin API key as the REST API;
 * - `{ bearerToken }`: a dedicated scrape token (`authorization: Bearer <token>`), so
 *   Prometheus needs no user account;
 * - `"none"`: open — only for a port that is not reachable from outside.
 */
export type MetricsAuth = "admin" | "none" | { readonly bearerToken: string };

const MIN_TOKEN_LENGTH = 16;

const METRICS_TOPIC = "grpc-cfg:metrics";

/**
 * Mounts `GET /metrics` serving `metrics.render()` behind `auth`. Under `serve --workers N`
 * each worker's monitor shares one port, so whichever worker takes the scrape answers for
 * all of them: their texts are gathered through the cluster primary, each labelled with its
 * worker's slot (see {@link labelWorkerText}).
 */
export function mountMetricsRoute<E extends Env>(
  app: Hono<E>,
  metrics: MonitorMetrics,
  auth: MetricsAuth,
  authenticator: Authenticator,
): void {
  if (typeof auth === "object" && auth.bearerToken.length < MIN_TOKEN_LENGTH) {
    throw new Error(`the metrics bearer token must be at least ${MIN_TOKEN_LENGTH} characters`);
  }
  const expected = typeof auth === "object" ? digest(auth.bearerToken) : null;
  const render = () => metrics.render();
  provideToCluster(METRICS_TOPIC, render);
  app.get("/metrics", async (c) => {
    if (auth === "admin") {
      await requireAdmin(authenticator, c.req.raw.headers);
    } else if (expected) {
      const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
      // Compare digests so the comparison is constant-time whatever the lengths.
      if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) {
        throw new ApiError("unauthorized", "send the metrics token as `authorization: Bearer`");
      }
    }
    const { answers, complete } = await gatherFromCluster(METRICS_TOPIC, render);
    const texts = answers.map((a) => (a.worker ? labelWorkerText(a.value, a.worker) : a.value));
    // A worker's series missing from one scrape are a gap to Prometheus, not a reset.
    const note = complete ? "" : "# a worker did not answer in time: its series are missing\n";
    return c.body(mergePrometheusText(texts) + note, 200, {
      "content-type": PROMETHEUS_CONTENT_TYPE,
    });
  });
}

function digest(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}
