// Child process for revocation-across-processes.test.ts: caches a key, then polls it (cache
// hits only) until it is rejected, and reports when. Uses the built package (dist/).
import { openStore, silentLogger } from "../../dist/index.js";

const store = await openStore({
  url: process.env.TEST_DATABASE_URL,
  logger: silentLogger,
  migrate: false,
});
const auth = store.createApiKeyAuthenticator({ cacheTtlMs: 600_000 });
const credential = { source: "api-key", value: process.env.TEST_API_KEY };
const first = await auth.authenticate(credential);
if (!first?.ok) {
  process.stdout.write(`${JSON.stringify({ error: first })}\n`);
  process.exit(1);
}
process.stdout.write("ready\n");
for (;;) {
  const result = await auth.authenticate(credential);
  if (!result?.ok) {
    process.stdout.write(
      `${JSON.stringify({ rejectedAt: Date.now(), reason: result?.reason, lookups: auth.stats().lookups })}\n`,
    );
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 5));
}
await auth.close();
await store.close();
