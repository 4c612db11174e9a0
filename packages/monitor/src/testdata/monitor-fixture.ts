/**
 * Test helper: a real store (PGlite or PostgreSQL) seeded with users, keys, server instances
 * and request-log rows written through the store's real sink, and a monitor server over it on
 * 127.0.0.1:0.
 */
import type { RequestLogRecord } from "@grpc-cfg/runtime";
import {
  openStore,
  serverInstances,
  silentLogger,
  type Store,
  type StoreOptions,
} from "@grpc-cfg/store";
import { eq, sql } from "drizzle-orm";
import { createMetrics, type MonitorMetrics } from "../metrics/create-metrics.js";
import { storeMetricsSources } from "../metrics/store-sources.js";
import {
  createMonitorApp,
  startMonitorServer,
  type MonitorDeps,
  type RunningMonitor,
} from "../monitor.js";
import type { ServiceRegistry } from "../routes/route-context.js";
import { SHOP_REGISTRY } from "./shop-registry.js";

/** Everything a monitor test needs. */
export interface MonitorFixture {
  readonly store: Store;
  readonly monitor: RunningMonitor;
  readonly metrics: MonitorMetrics;
  readonly registry: ServiceRegistry;
  readonly instanceId: string;
  readonly staleInstanceId: string;
  readonly stoppedInstanceId: string;
  /** Secrets of the seeded keys. */
  readonly keys: { admin: string; superuser: string; plain: string; ci: string };
  readonly ids: { adminUser: number; plainUser: number; ciKey: number; adminKey: number };
  /** Every route of the app except middleware, as Hono registers them. */
  readonly routes: readonly { method: string; path: string }[];
  /** The seeded records, as written. */
  readonly records: readonly RequestLogRecord[];
  /** GET/POST against the monitor with the admin key (or `key`). */
  fetch(
    path: string,
    init?: { method?: string; body?: unknown; key?: string | null },
  ): Promise<Response>;
  close(): Promise<void>;
}

const MINUTE = 60_000;

/** A log record with defaults; `minutesAgo` sets its start time. */
export function record(
  fields: Partial<RequestLogRecord> & { service: string; method: string; minutesAgo: number },
): RequestLogRecord {
  const { minutesAgo, ...rest } = fields;
  const startedAt = new Date(Date.now() - minutesAgo * MINUTE);
  const durationMs = rest.durationMs ?? 1;
  return {
    requestId: `req-${Math.random().toString(36).slice(2)}`,
    path: `/${rest.service}/${rest.method}`,
    callKind: "unary",
    status: "success",
    grpcCode: 0,
    errorMessage: null,
    errorDetails: null,
    durationMs,
    userId: null,
    apiKeyId: null,
    authenticated: false,
    authMethod: null,
    clientAddress: "127.0.0.1:40000",
    requestMessages: 1,
    responseMessages: 1,
    startedAt,
    completedAt: new Date(startedAt.getTime() + durationMs),
    ...rest,
  };
}

/** Opens a store with `options`, seeds it and starts a monitor on 127.0.0.1:0. */
export async function createMonitorFixture(options: StoreOptions): Promise<MonitorFixture> {
  const store = await openStore({ logger: silentLogger, ...options });
  const admin = await store.users.create({ username: "admin", isStaff: true });
  const root = await store.users.create({ username: "root", isSuperuser: true });
  const bob = await store.users.create({ username: "bob" });
  const adminKey = await store.apiKeys.create({ user: admin.id, name: "admin-console" });
  const rootKey = await store.apiKeys.create({ user: root.id, name: "root-console" });
  const bobKey = await store.apiKeys.create({ user: bob.id, name: "bob-laptop" });
  const ciKey = await store.apiKeys.create({ user: bob.id, name: "ci-bot" });

  const instance = await store.registerInstance({
    services: SHOP_REGISTRY.services.map((s) => s.fullName),
    address: "127.0.0.1",
    port: 50051,
  });
  const stopped = await store.registerInstance({ hostName: "old-host", services: [] });
  await stopped.markStopped();
  const stale = await store.registerInstance({ hostName: "crashed-host", services: [] });
  stale.stopHeartbeat();
  await store.db
    .update(serverInstances)
    .set({ lastHeartbeatAt: sql`now() - interval '5 minutes'` })
    .where(eq(serverInstances.id, stale.id));

  const bobCi = {
    userId: bob.id,
    apiKeyId: ciKey.record.id,
    authenticated: true,
    authMethod: "api-key" as const,
  };
  const adminAuth = {
    userId: admin.id,
    apiKeyId: adminKey.record.id,
    authenticated: true,
    authMethod: "api-key" as const,
  };
  const user = "shop.v1.UserService";
  const records: RequestLogRecord[] = [
    ...[10, 20, 30, 40].map((durationMs, i) =>
      record({ service: user, method: "GetUser", durationMs, minutesAgo: 10 + i, ...bobCi }),
    ),
    record({
      service: user,
      method: "GetUser",
      durationMs: 50,
      minutesAgo: 15,
      status: "error",
      grpcCode: 5,
      errorMessage: "user 42 not found",
    }),
    ...[5, 15].map((durationMs, i) =>
      record({
        service: user,
        method: "ListUsers",
        callKind: "server-stream",
        durationMs,
        minutesAgo: 30 + i,
        responseMessages: 3,
        ...adminAuth,
      }),
    ),
    record({
      service: "shop.v1.ChatService",
      method: "Chat",
      callKind: "bidi",
      durationMs: 100,
      minutesAgo: 90,
      status: "cancelled",
      grpcCode: 1,
      errorMessage: "client cancelled",
      ...bobCi,
    }),
    record({
      service: "shop.v1.OrderService",
      method: "CreateOrder",
      durationMs: 7,
      minutesAgo: 48 * 60,
    }),
  ];
  const metrics = createMetrics({ processMetrics: false });
  const sink = store.createRequestLogSink({ instanceId: instance.id, flushIntervalMs: 50 });
  // The runtime fans every finished call out to both sinks; do the same.
  for (const r of records) {
    sink.write(r);
    metrics.write(r);
  }
  await sink.flush();

  const authenticator = store.createApiKeyAuthenticator({ usageFlushIntervalMs: 50 });
  metrics.attach(storeMetricsSources({ sink, authenticator }));
  const deps: MonitorDeps = {
    store,
    authenticator,
    registry: SHOP_REGISTRY,
    instanceId: instance.id,
    metrics,
    logSinkStats: () => sink.stats(),
    onError: () => {},
    // Tests of the audit give their own reporter; the rest would fill the run's stderr.
    onAudit: () => {},
  };
  const monitor = await startMonitorServer(deps, { host: "127.0.0.1", port: 0 });
  // The routes the app really has (method and Hono path), to hold the OpenAPI document against.
  const routes = createMonitorApp(deps)
    .routes.filter((r) => r.method !== "ALL")
    .map((r) => ({ method: r.method, path: r.path }));

  const keys = { admin: adminKey.key, superuser: rootKey.key, plain: bobKey.key, ci: ciKey.key };
  return {
    store,
    monitor,
    metrics,
    registry: SHOP_REGISTRY,
    instanceId: instance.id,
    staleInstanceId: stale.id,
    stoppedInstanceId: stopped.id,
    keys,
    ids: {
      adminUser: admin.id,
      plainUser: bob.id,
      ciKey: ciKey.record.id,
      adminKey: adminKey.record.id,
    },
    records,
    routes,
    fetch(path, init = {}) {
      const headers: Record<string, string> = {};
      const key = init.key === undefined ? keys.admin : init.key;
      if (key !== null) headers["x-api-key"] = key;
      if (init.body !== undefined) headers["content-type"] = "application/json";
      return fetch(`${monitor.url}${path}`, {
        method: init.method ?? "GET",
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    },
    async close() {
      await monitor.close();
      await store.close();
    },
  };
}
