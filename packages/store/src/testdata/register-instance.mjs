// Child process for instances.test.ts: registers a server instance with a fast heartbeat,
// prints its id, then idles until killed (kill -9: no chance to mark itself stopped).
import { openStore, silentLogger } from "../../dist/index.js";

const store = await openStore({
  url: process.env.TEST_DATABASE_URL,
  logger: silentLogger,
  migrate: false,
});
const handle = await store.registerInstance({
  services: ["child.v1.Svc"],
  port: 4242,
  heartbeatMs: 100,
});
process.stdout.write(`${handle.id}\n`);
setInterval(() => {}, 1_000);
