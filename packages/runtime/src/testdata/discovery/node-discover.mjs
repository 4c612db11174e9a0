// Runs discovery in a plain Node process (no vitest) through the built runtime, loading
// TypeScript via tsx: prints the discovered services as JSON. Used by discover-services.test.ts.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { discoverServices, loadManifest } from "../../../dist/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const manifest = await loadManifest(join(here, "../gen"));
const result = await discoverServices({
  apps: [join(here, "good")],
  services: manifest.services,
  root: here,
});
const account = result.services.find((s) => s.entry.fullName === "testsvc.v1.AccountService");
const me = await account.implementation.me({}, { user: { id: 7 } });
console.log(
  JSON.stringify({
    services: result.services.map((s) => [
      s.entry.fullName,
      s.className,
      s.file.slice(here.length + 1),
    ]),
    me,
  }),
);
