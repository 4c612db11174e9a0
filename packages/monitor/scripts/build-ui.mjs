#!/usr/bin/env node
// Bundles the dashboard (ui/) into dist/ui: app.js (esbuild, minified, with a source map),
// app.css and index.html. Type-checks ui/ first, because esbuild only strips types and the
// dashboard's types are the API's response schemas. `--no-check` skips the type check.
import { spawnSync } from "node:child_process";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const pkg = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(pkg, "dist", "ui");
const started = Date.now();

if (!process.argv.includes("--no-check")) {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const check = spawnSync(process.execPath, [tsc, "-p", join(pkg, "ui", "tsconfig.json")], {
    stdio: "inherit",
  });
  if (check.status !== 0) {
    console.error("build-ui: the dashboard does not type-check (see above)");
    process.exit(1);
  }
}

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [
    { in: join(pkg, "ui", "src", "main.ts"), out: "app" },
    { in: join(pkg, "ui", "styles.css"), out: "app" },
  ],
  outdir: out,
  bundle: true,
  format: "esm",
  target: ["es2022", "chrome110", "firefox110", "safari16"],
  minify: true,
  sourcemap: true,
  legalComments: "none",
  logLevel: "warning",
});
await copyFile(join(pkg, "ui", "index.html"), join(out, "index.html"));
console.log(`build-ui: dashboard bundled into dist/ui in ${Date.now() - started} ms`);
