/**
 * Test helper for the monitor's end-to-end tests: a real store (PGlite in memory), a real
 * grpc-cfg server (the runtime's test services on 127.0.0.1:0) whose calls are authenticated
 * by the store's API keys and logged through the store's sink, and the monitor beside it.
 */
import {
  createMetrics,
  startMonitorServer,
  storeMetricsSources,
  type RunningMonitor,
} from "@grpc-cfg/monitor";
import { IN_MEMORY, openStore, silentLogger, type Store } from "@grpc-cfg/store";
import { services as manifestServices } from "../../packages/runtime/src/testdata/gen/grpc-cfg.manifest.js";
import {
  startTestServer,
  type TestServer,
} from "../../packages/runtime/src/testdata/support/harness.js";

/** Everything the browser test drives. */
export interface MonitorStack {
  readonly store: Store;
  readonly grpc: TestServer;
  readonly monitor: RunningMonitor;
  /** Secret of the superuser's key (signs in to the dashboard). */
  readonly adminKey: string;
  /** Secret of a staff user's key: staff but not superuser. */
  readonly staffKey: string;
  /** Secret of a key whose user is neither staff nor superuser. */
  readonly plainKey: string;
  close(): Promise<void>;
}

/** Starts store, gRPC server and monitor; `close()` stops them in reverse order. */
export async function startMonitorStack(): Promise<MonitorStack> {
  const store = await openStore({ dataDir: IN_MEMORY, logger: silentLogger });
  // A superuser: the dashboard tests issue keys for other users, which staff may not.
  const ops = await store.users.create({ username: "ops", isStaff: true, isSuperuser: true });
  const bob = await store.users.create({ username: "bob" });
  const plainKey = (await store.apiKeys.create({ user: bob.id, name: "bob-laptop" })).key;
  const adminKey = (await store.apiKeys.create({ user: ops.id, name: "ops-console" })).key;
  const sam = await store.users.create({ username: "sam", isStaff: true });
  const staffKey = (await store.apiKeys.create({ user: sam.id, name: "sam-console" })).key;

  const instance = await store.registerInstance({
    services: manifestServices.map((s) => s.fullName),
    address: "127.0.0.1",
    heartbeatMs: 1_000,
  });
  const authenticator = store.createApiKeyAuthenticator({ usageFlushIntervalMs: 100 });
  const sink = store.createRequestLogSink({ instanceId: instance.id, flushIntervalMs: 100 });
  const metrics = createMetrics();
  metrics.attach(storeMetricsSources({ sink, authenticator }));
  const grpc = await startTestServer({
    authenticators: [authenticator],
    sinks: [sink, metrics],
    database: store.provider,
  });
  const monitor = await startMonitorServer(
    {
      store,
      authenticator,
      registry: { services: manifestServices },
      instanceId: instance.id,
      metrics,
      logSinkStats: () => sink.stats(),
      onAudit: () => {},
    },
    { host: "127.0.0.1", port: 0 },
  );
  return {
    store,
    grpc,
    monitor,
    adminKey,
    staffKey,
    plainKey,
    async close() {
      await monitor.close();
      await grpc.close();
      await instance.markStopped();
      await store.close();
    },
  };
}
