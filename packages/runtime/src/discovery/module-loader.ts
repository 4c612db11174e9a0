import { extname } from "node:path";
import { pathToFileURL } from "node:url";

const TS_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx"]);
let tsxRegistered: Promise<void> | null = null;

/**
 * Makes Node load TypeScript from here on, process-wide, through tsx's loader hooks. Global
 * (not tsx's namespaced `tsImport`) on purpose: generated base classes, the manifest and
 * implementations must share one module instance, or `instanceof` matching breaks.
 *
 * Both of tsx's hooks, as `node --import tsx` registers them: a `.ts` file outside a
 * `"type": "module"` package is CommonJS, which Node loads through `require`, and without
 * tsx's CommonJS hook that fails (ERR_REQUIRE_CYCLE_MODULE on Node 20.19+).
 */
async function ensureTypeScriptLoader(): Promise<void> {
  tsxRegistered ??= Promise.all([import("tsx/cjs/api"), import("tsx/esm/api")]).then(
    ([cjs, esm]) => {
      cjs.register();
      esm.register();
    },
  );
  return tsxRegistered;
}

/** Imports a `.ts`/`.mts`/`.js`/`.mjs` module by absolute path (TS without a build step). */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  if (TS_EXTENSIONS.has(extname(file))) await ensureTypeScriptLoader();
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}
