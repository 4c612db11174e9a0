// Config fixture: a TypeScript config file using defineConfig.
import { defineConfig } from "../../../index.js";

const port: number = 6000;

export default defineConfig({
  server: { port, tls: { cert: "certs/server.pem", key: "certs/server.key" } },
  apps: ["src/apps"],
  logging: { trustedProxies: ["10.0.0.1"] },
});
