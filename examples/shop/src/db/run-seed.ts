/**
 * `npm run seed`: opens the database grpc-cfg.config.ts points at (DATABASE_URL or the
 * embedded PGlite folder), applies pending migrations and inserts the demo data. Safe to
 * run again: existing rows are left alone.
 */
import { fileURLToPath } from "node:url";
import { loadConfig } from "@grpc-cfg/runtime";
import { openStore } from "@grpc-cfg/store";
import { seedShop } from "./seed.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const config = await loadConfig(root);
const store = await openStore({
  ...(config.database.url ? { url: config.database.url } : { dataDir: config.database.dataDir }),
  migrationsFolders: config.database.migrations,
});
try {
  const report = await seedShop(store.db);
  process.stdout.write(
    `seeded ${store.target}: ${report.categories} categories, ${report.products} products, ${report.users} users added\n`,
  );
} finally {
  await store.close();
}
