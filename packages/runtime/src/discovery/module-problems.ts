import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describeImportFailure, isModuleNotFound } from "../config/load-failure.js";
import type { ServiceManifestEntry } from "../contracts/method-table.js";
import type { NearMissModule } from "./find-service-modules.js";

/**
 * The discovery problem of an implementation module that could not be imported: the same
 * one-line reason a config file gets (a syntax error's line and column, the missing import,
 * what it threw), with paths shown relative to `root`. When the missing import lies in the
 * generated folder, its proto was probably removed or renamed, or `generate` not run.
 */
export function loadProblem(
  error: unknown,
  file: string,
  root: string,
  generated: string | null,
): string {
  const relative = (text: string) => text.split(root + sep).join("");
  const reason = relative(describeImportFailure(error, file));
  const missing = isModuleNotFound(error) ? missingPath(error as Error, file) : null;
  const inGenerated = generated !== null && missing !== null && missing.startsWith(generated + sep);
  const hint = inGenerated
    ? " (generated code it imports is missing: run `grpc-cfg generate`; was its proto removed or renamed?)"
    : "";
  return `${relative(file)} could not be loaded: ${reason}${hint}`;
}

/**
 * What to add to "<service> has no implementation": the near-miss files (see
 * `findNearMissModules`) that mention the service's base class, and what to rename them to.
 * Empty when there are none.
 */
export function nearMissNote(
  entry: ServiceManifestEntry,
  nearMisses: readonly NearMissModule[],
  show: (file: string) => string,
): string {
  const suspects = nearMisses.filter((miss) => mentions(miss.file, entry.className));
  if (suspects.length === 0) return "";
  const renames = suspects.map((miss) => `${show(miss.file)} → ${show(miss.suggested)}`);
  return (
    `; ${suspects.length === 1 ? "this file mentions" : "these files mention"} ` +
    `${entry.className} but ${suspects.length === 1 ? "is" : "are"} not loaded, ` +
    `rename: ${renames.join(", ")}`
  );
}

/**
 * The absolute path of the module Node could not find: Node names it in full, other loaders
 * (vite's) as the specifier, which is then resolved against the importer. Null for a package.
 */
function missingPath(error: Error, file: string): string | null {
  const match = /Cannot find (?:module|package) '([^']+)'(?: imported from (\S+))?/.exec(
    error.message,
  );
  const specifier = match?.[1];
  if (specifier === undefined) return null;
  const path = specifier.startsWith("file://") ? fileURLToPath(specifier) : specifier;
  if (isAbsolute(path)) return path;
  if (!path.startsWith(".")) return null;
  const importer = match?.[2] ?? file;
  return resolve(
    dirname(importer.startsWith("file://") ? fileURLToPath(importer) : importer),
    path,
  );
}

function mentions(file: string, className: string): boolean {
  try {
    return readFileSync(file, "utf8").includes(className);
  } catch {
    return false;
  }
}
