#!/usr/bin/env node
// `npm start`: the shop example on the embedded database (PGlite), from a fresh clone.
// generate → serve (migrates on start) → seed → a fresh demo API key → copy-paste commands.
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import { tsImport } from "tsx/esm/api";

const repo = fileURLToPath(new URL("..", import.meta.url));
const shop = path.join(repo, "examples/shop");
const cli = path.join(repo, "packages/cli/bin/grpc-cfg.js");

const generated = spawnSync(process.execPath, [cli, "generate"], { cwd: shop, stdio: "inherit" });
if (generated.status !== 0) process.exit(generated.status ?? 1);

process.chdir(shop);
const { startStack } = await import("@grpc-cfg/cli");
let stack;
try {
  // The demo prints a staff key: it listens on this machine only unless HOST says otherwise
  // (the monitor already does by default).
  const overrides = process.env.HOST ? {} : { server: { host: "127.0.0.1" } };
  stack = await startStack({ cwd: shop, overrides });
} catch (error) {
  process.stderr.write(`error: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ""}`);
  process.exit(1);
}

const { seedShop } = await tsImport(
  pathToFileURL(path.join(shop, "src/db/seed.ts")).href,
  import.meta.url,
);
const seeded = await seedShop(stack.store.db);
const user = await stack.store.users.ensure({
  username: "demo",
  email: "demo@example.com",
  isStaff: true,
});
const { key } = await stack.store.apiKeys.create({
  user: user.id,
  name: `demo ${new Date().toISOString()}`,
});

// A wildcard address is reachable on loopback; any other is printed as bound.
const { host, port } = stack.address;
const reachable = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
const address = `${reachable.includes(":") ? `[${reachable}]` : reachable}:${port}`;
const rule = "─".repeat(78);
process.stdout.write(`
${stack.banner}

${rule}
 The shop is running on the embedded database (${seeded.products} products added this run).

 gRPC:       ${address}   (reflection on: any gRPC client can list and call it)
 Dashboard:  ${stack.monitor ? `${stack.monitor.url}/` : "(disabled)"}   sign in with the key below
 Demo key:   ${key}
             (user "demo", staff; shown once — more keys: the dashboard's API keys page,
             or npx grpc-cfg keys create once the server is stopped)

 Try it (from the repository root, in another terminal):

   npx grpc-cfg call ${address} shop.v1.ProductCatalogService/SearchProducts -d '{"query":"keyboard"}' -H 'x-api-key: ${key}'

   npx buf curl --protocol grpc --http2-prior-knowledge -H 'x-api-key: ${key}' -d '{"userId":"1"}' http://${address}/shop.v1.UserService/GetUser

 Ctrl+C stops the server (gracefully: in-flight calls finish, logs are flushed).
${rule}
`);

const signal = await new Promise((resolve) => {
  process.once("SIGINT", () => resolve("SIGINT"));
  process.once("SIGTERM", () => resolve("SIGTERM"));
});
process.stdout.write(`\n${signal}: stopping…\n`);
await stack.stop(signal);
process.stdout.write("stopped\n");
