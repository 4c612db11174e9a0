import { dirname, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describeValue } from "./config-error.js";
import { javaScriptSyntaxLocation } from "./syntax-location.js";

/**
 * One line saying why importing the config file `file` failed, for a {@link ConfigError}:
 * where a syntax error is and what esbuild or Node said, which import is missing, or what
 * the file threw and from where. Never a stack trace: it reads as a config problem.
 */
export function describeLoadFailure(error: unknown, file: string): string {
  return `(config): ${describeImportFailure(error, file)}`;
}

/**
 * Why importing the module `file` failed, in one line and without a stack trace: a syntax
 * error's file, line, column and text; the module that is missing and who imports it; or what
 * the module threw, from where in `file`'s folder. Also used for implementation modules.
 */
export function describeImportFailure(error: unknown, file: string): string {
  if (!(error instanceof Error)) {
    // Not an Error, so no stack to point into; the value is all there is.
    return `the file threw ${describeValue("thrown", error)}`;
  }
  return (
    syntaxError(error, file) ??
    (isModuleNotFound(error)
      ? missingModule(error)
      : `loading it threw ${error.name}: ${firstLine(error.message)}${thrownAt(error, file)}`)
  );
}

/** True for Node's "Cannot find module/package" errors (ESM and CommonJS). */
export function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

// tsx reports esbuild's TransformError with its details dropped (it crosses from the loader
// thread), leaving "Transform failed with 1 error:\n<file>:<line>:<column>: ERROR: <text>".
const ESBUILD_ERROR = /^(.+?:\d+:\d+): ERROR: (.*)$/m;
// Node's own SyntaxError (a .js/.mjs config) puts "<file or URL>:<line>" atop its stack.
const NODE_SYNTAX_AT = /^(file:\/\/\S+|\/\S+):(\d+)$/m;

function syntaxError(error: Error, file: string): string | null {
  const esbuild = error.name === "TransformError" ? ESBUILD_ERROR.exec(error.message) : null;
  if (esbuild) return `syntax error at ${esbuild[1]}: ${esbuild[2]}`;
  if (error.name !== "SyntaxError") return null;
  // The file's own error with its column first; else the line CommonJS names, maybe in a
  // module the file requires.
  const at = NODE_SYNTAX_AT.exec(error.stack ?? "");
  const location =
    javaScriptSyntaxLocation(file) ?? (at ? `${toPath(at[1] as string)}:${at[2]}` : null);
  const where = location ? ` at ${location}` : "";
  return `syntax error${where}: ${firstLine(error.message)}`;
}

// ESM: "Cannot find module '/x/nope.js' imported from /x/c.ts" (or "Cannot find package").
// CommonJS: "Cannot find module './nope.js'" and the importer in `requireStack`.
function missingModule(error: Error): string {
  const text = firstLine(error.message);
  const message = text.charAt(0).toLowerCase() + text.slice(1);
  const importer = (error as { requireStack?: unknown }).requireStack;
  if (message.includes(" imported from ") || !Array.isArray(importer) || !importer[0]) {
    return message;
  }
  return `${message} imported from ${String(importer[0])}`;
}

/** " (at <file>:<line>:<column>)": the first stack frame in the config's folder, if any. */
function thrownAt(error: Error, file: string): string {
  const folder = dirname(file) + sep;
  for (const line of (error.stack ?? "").split("\n")) {
    const frame = /^\s+at (?:.*\()?(file:\/\/[^)\s]+|\/[^)\s]+):(\d+):(\d+)\)?$/.exec(line);
    if (!frame) continue;
    const path = toPath(frame[1] as string);
    if (path.startsWith(folder) && !path.includes(`${sep}node_modules${sep}`)) {
      return ` (at ${path}:${frame[2]}:${frame[3]})`;
    }
  }
  return "";
}

function toPath(location: string): string {
  if (!location.startsWith("file://")) return location;
  try {
    return fileURLToPath(location.replace(/\?.*$/, ""));
  } catch {
    return location;
  }
}

function firstLine(text: string): string {
  return text.split("\n").find((line) => line.trim() !== "") ?? text;
}
