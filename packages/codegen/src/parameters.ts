import { CodegenError } from "./errors.js";

/** Parsed plugin parameters (buf.gen.yaml `opt:` entries). */
export interface PluginParameters {
  /**
   * Directory holding a user copy of the templates, or null for the bundled ones. Relative
   * paths resolve against the working directory buf runs the plugin in (the buf.gen.yaml
   * directory). Templates missing from the directory fall back to the bundled ones.
   */
  readonly templates: string | null;
  /** Module the generated classes import the runtime from. */
  readonly runtimeImport: string;
  /** Suffix of relative imports; must equal ts-proto's `importSuffix`. */
  readonly importSuffix: string;
  /**
   * Whether to write the whole-run outputs (`grpc-cfg.manifest.ts`, `grpc-cfg.descriptor.ts`).
   * They need buf's `strategy: all`; turn them off when running per directory.
   */
  readonly manifest: boolean;
}

/** Defaults, matching the pipeline's buf.gen.yaml. */
export const DEFAULT_PARAMETERS: PluginParameters = Object.freeze({
  templates: null,
  runtimeImport: "@grpc-cfg/runtime",
  importSuffix: ".js",
  manifest: true,
});

const KNOWN = ["templates", "runtime_import", "import_suffix", "manifest"] as const;
type Key = (typeof KNOWN)[number];

function isKnown(key: string): key is Key {
  return (KNOWN as readonly string[]).includes(key);
}

/**
 * Parses the comma-separated `key=value` parameter string buf passes to the plugin.
 * Throws {@link CodegenError} for unknown keys, repeated keys and malformed values.
 */
export function parseParameters(parameter: string): PluginParameters {
  const seen = new Map<Key, string>();
  for (const raw of parameter.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const eq = entry.indexOf("=");
    const key = (eq === -1 ? entry : entry.slice(0, eq)).trim();
    const value = eq === -1 ? "" : entry.slice(eq + 1).trim();
    if (!isKnown(key)) {
      throw new CodegenError(
        `unknown plugin option "${key}"; known options: ${KNOWN.join(", ")} (set them under opt: in buf.gen.yaml)`,
      );
    }
    if (seen.has(key)) throw new CodegenError(`plugin option "${key}" is given more than once`);
    seen.set(key, value);
  }

  const templates = seen.get("templates");
  if (templates !== undefined && templates === "") {
    throw new CodegenError(
      `plugin option "templates" needs a directory, e.g. templates=./templates`,
    );
  }
  const runtimeImport = seen.get("runtime_import") ?? DEFAULT_PARAMETERS.runtimeImport;
  if (runtimeImport === "" || /[\s"'`\\]/.test(runtimeImport)) {
    throw new CodegenError(
      `plugin option "runtime_import" must be a module specifier such as @grpc-cfg/runtime, got "${runtimeImport}"`,
    );
  }
  const importSuffix = seen.get("import_suffix") ?? DEFAULT_PARAMETERS.importSuffix;
  if (!/^(\.[A-Za-z0-9]+)?$/.test(importSuffix)) {
    throw new CodegenError(
      `plugin option "import_suffix" must be empty or an extension such as .js, got "${importSuffix}"`,
    );
  }
  return {
    templates: templates ?? null,
    runtimeImport,
    importSuffix,
    manifest: parseBoolean("manifest", seen.get("manifest"), DEFAULT_PARAMETERS.manifest),
  };
}

function parseBoolean(key: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === "" || value === "true") return true;
  if (value === "false") return false;
  throw new CodegenError(`plugin option "${key}" must be true or false, got "${value}"`);
}
