import { defineConfig } from "drizzle-kit";

// Generates the store's SQL migrations into ./drizzle: `npx drizzle-kit generate` from this folder.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./drizzle",
  migrations: { table: "__grpc_cfg_migrations", schema: "drizzle" },
});
