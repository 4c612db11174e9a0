import { relative } from "node:path";
import type { ServiceManifestEntry } from "../contracts/method-table.js";
import type { Logger } from "../logging/logger.js";
import { findNearMissModules, findServiceModules } from "./find-service-modules.js";
import { importModule } from "./module-loader.js";
import { loadProblem, nearMissNote } from "./module-problems.js";

/** An implementation matched to its generated service. */
export interface DiscoveredService {
  readonly entry: ServiceManifestEntry;
  /** The instance the server calls (one per service, shared by all calls). */
  readonly implementation: object;
  readonly className: string;
  /** Absolute path of the module it was exported from. */
  readonly file: string;
}

/** Outcome of {@link discoverServices}. */
export interface DiscoveryResult {
  readonly services: readonly DiscoveredService[];
  /** Manifest services without an implementation (only when not strict). */
  readonly missing: readonly ServiceManifestEntry[];
  /** Every module loaded. */
  readonly files: readonly string[];
}

/** Options of {@link discoverServices}. */
export interface DiscoveryOptions {
  /** Absolute app folders to search. */
  readonly apps: readonly string[];
  readonly services: readonly ServiceManifestEntry[];
  /** Error (instead of warning) when a service has no implementation. */
  readonly strict?: boolean;
  readonly logger?: Logger;
  /** For shorter file names in messages. Default `process.cwd()`. */
  readonly root?: string;
  /** Use these files instead of searching `apps`. */
  readonly files?: readonly string[];
  /**
   * The generated folder (absolute): a module that cannot be loaded because an import from
   * it is missing gets a hint to run `grpc-cfg generate`.
   */
  readonly generated?: string;
}

/** Discovery found problems; `problems` lists each one. */
export class DiscoveryError extends Error {
  override readonly name = "DiscoveryError";
  readonly problems: readonly string[];
  /** True when some implementation module could not be loaded (a syntax error, an import). */
  readonly loadFailed: boolean;
  constructor(problems: readonly string[], options: { loadFailed?: boolean } = {}) {
    super(`Service discovery failed:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
    this.loadFailed = options.loadFailed ?? false;
  }
}

type AnyClass = abstract new (...args: never[]) => object;

interface Candidate {
  readonly cls: AnyClass;
  readonly name: string;
  readonly file: string;
}

function isClass(value: unknown): value is AnyClass {
  return typeof value === "function" && typeof value.prototype === "object";
}

function missingHandlers(cls: AnyClass, entry: ServiceManifestEntry): string[] {
  const proto = cls.prototype as Record<string, unknown>;
  return Object.values(entry.methods)
    .filter((policy) => typeof proto[policy.handler] !== "function")
    .map((policy) => `${policy.name} → ${policy.handler}()`);
}

/** The candidate among `found` that `cls` is a base class of, if any. */
function subclassOf(cls: AnyClass, found: readonly Candidate[]): Candidate | undefined {
  return found.find((other) => other.cls !== cls && other.cls.prototype instanceof cls);
}

/**
 * The one implementation of `entry` among the classes found, or the problem to report. An
 * exported intermediate class (`abstract class Audited extends OrderServiceBase`, extended by
 * the real implementation) also extends the base: a candidate that another candidate extends
 * and that lacks handlers is taken for such a helper and skipped. One that has every handler
 * could be meant as the implementation too (TypeScript's `abstract` is gone at run time), so
 * two such classes in one hierarchy are refused, saying which extends which.
 */
function pickImplementation(
  found: readonly Candidate[],
  entry: ServiceManifestEntry,
  show: (file: string) => string,
): Candidate | string {
  const named = (c: Candidate) => `${c.name} (${show(c.file)})`;
  const kept =
    found.length === 1
      ? found
      : found.filter(
          (c) =>
            subclassOf(c.cls, found) === undefined || missingHandlers(c.cls, entry).length === 0,
        );
  if (kept.length === 1) return kept[0] as Candidate;
  const where = `${entry.fullName} has ${kept.length} implementations: ${kept.map(named).join(" and ")}`;
  const bases = kept.flatMap((c) => {
    const sub = subclassOf(c.cls, kept);
    return sub === undefined ? [] : [`${c.name} is a base class of ${sub.name}`];
  });
  if (bases.length === 0) return `${where}; keep one`;
  return `${where}; ${bases.join(", ")}: export only the class to serve (don't export a base class from a grpc-services file)`;
}

/**
 * Finds implementation modules in the app folders (`grpc-services.ts`, `grpc-handlers.ts`,
 * `services/grpc.ts` and their `.mts`/`.js`/`.mjs` forms), imports them and matches every
 * exported class to its generated service (`cls.prototype instanceof entry.base`). Throws
 * {@link DiscoveryError} for: a module that cannot be loaded (its syntax error or missing
 * import, in one line), a class missing methods (listed by rpc and handler), two classes for
 * one service (both named with their files; see `pickImplementation` for classes of one
 * hierarchy), a class whose constructor throws, and — when
 * strict — services without an implementation (else a warning each, naming any file whose
 * name is a near miss of the conventional ones and that mentions the service's base class).
 */
export async function discoverServices(options: DiscoveryOptions): Promise<DiscoveryResult> {
  const root = options.root ?? process.cwd();
  const show = (file: string) => relative(root, file) || file;
  const files = options.files ? [...options.files] : findServiceModules(options.apps);
  const candidates = new Map<ServiceManifestEntry, Candidate[]>();
  const problems: string[] = [];

  let loadFailed = false;
  // Across files: a class re-exported by another discovered module (a barrel with
  // `export * from "./orders/grpc-services.js"`) is one implementation, found where first seen.
  const seen = new Set<unknown>();
  for (const file of files) {
    let exports: Record<string, unknown>;
    try {
      exports = await importModule(file);
    } catch (error) {
      loadFailed = true;
      problems.push(loadProblem(error, file, root, options.generated ?? null));
      continue;
    }
    for (const [exportName, value] of Object.entries(exports)) {
      if (!isClass(value) || seen.has(value)) continue;
      seen.add(value);
      for (const entry of options.services) {
        if (!(value.prototype instanceof entry.base)) continue;
        const list = candidates.get(entry) ?? [];
        list.push({ cls: value, name: value.name || exportName, file });
        candidates.set(entry, list);
      }
    }
  }

  const services: DiscoveredService[] = [];
  const missing: ServiceManifestEntry[] = [];
  for (const entry of options.services) {
    const found = candidates.get(entry) ?? [];
    if (found.length === 0) {
      missing.push(entry);
      continue;
    }
    const chosen = pickImplementation(found, entry, show);
    if (typeof chosen === "string") {
      problems.push(chosen);
      continue;
    }
    const { cls, name, file } = chosen;
    const absent = missingHandlers(cls, entry);
    if (absent.length > 0) {
      problems.push(
        `${name} (${show(file)}) implements ${entry.fullName} but lacks: ${absent.join(", ")}`,
      );
      continue;
    }
    try {
      const implementation = new (cls as unknown as new () => object)();
      services.push({ entry, implementation, className: name, file });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(`${name} (${show(file)}): constructor threw: ${reason}`);
    }
  }

  // A module that did not load may well hold the implementations found missing: its own
  // problem says what is wrong, and "no implementation" would only mislead.
  const nearMisses =
    missing.length > 0 && !loadFailed && !options.files ? findNearMissModules(options.apps) : [];
  for (const entry of loadFailed ? [] : missing) {
    const message = `${entry.fullName} has no implementation (extend ${entry.className} in a grpc-services.ts under ${options.apps.map(show).join(", ") || "the app folders"})${nearMissNote(entry, nearMisses, show)}`;
    if (options.strict) problems.push(message);
    else options.logger?.warn(message);
  }
  if (problems.length > 0) throw new DiscoveryError(problems, { loadFailed });
  return { services, missing: options.strict ? [] : missing, files };
}
