import { defineConfig } from "drizzle-kit";

/**
 * drizzle-kit config of the shop's own tables. `npm run db:generate` writes a new migration
 * into ./drizzle after a schema change; `grpc-cfg migrate` (and `serve`) apply it, tracked in
 * its own table beside the store's (see grpc-cfg.config.ts `database.migrations`).
 * The store's tables (users, api_keys, …) are the store's: they are referenced, never created here.
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./drizzle",
  strict: true,
});
