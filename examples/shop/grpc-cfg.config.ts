import { defineConfig } from "@grpc-cfg/runtime";

/**
 * grpc-cfg config of the shop. Everything not set here has a default (see the runtime's
 * GrpcCfgConfig); env vars override at start: PORT, DATABASE_URL, GRPC_CFG_DATA_DIR, …
 */
export default defineConfig({
  server: { port: 50051 },
  // One folder per app; each holds a grpc-services.ts that the server discovers.
  apps: ["src/users", "src/catalog", "src/orders", "src/chat"],
  generated: "src/gen",
  // Refuse to start when a proto service has no implementation.
  strictDiscovery: true,
  database: {
    // Without DATABASE_URL: embedded PGlite here (git-ignored).
    dataDir: ".grpc-cfg/data",
    // The shop's tables, applied after grpc-cfg's own (users, api_keys, request_logs, …).
    migrations: ["drizzle"],
  },
});
