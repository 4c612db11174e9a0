// Child process for migrate.test.ts: opens the store (which migrates) and prints the status.
import { openStore, silentLogger } from "../../dist/index.js";

const store = await openStore({
  url: process.env.TEST_DATABASE_URL,
  logger: silentLogger,
  migrate: true,
});
process.stdout.write(`${JSON.stringify(await store.migrationStatus())}\n`);
await store.close();
