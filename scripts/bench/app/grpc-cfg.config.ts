import { defineConfig } from "@grpc-cfg/runtime";

/** The benchmark's full stack: API-key auth, request logs in the database, error mapping. */
export default defineConfig({
  server: { host: "127.0.0.1" },
  apps: ["src/echo"],
  generated: "src/gen",
  strictDiscovery: true,
  logging: { level: "warn" },
  monitor: { enabled: false },
});
