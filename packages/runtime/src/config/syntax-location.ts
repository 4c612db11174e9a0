import { execFileSync } from "node:child_process";
import { extname } from "node:path";

const JS_EXTENSIONS = new Set([".js", ".mjs", ".cjs"]);
// `node --check` prints "<file>:<line>", the source line, then a caret under the column.
const CHECK_AT = /^(.+):(\d+)\n(.*)\n(\s*)\^/;

/**
 * Where the syntax error in the JavaScript file `file` is, as "<file>:<line>:<column>", or
 * null when it has none of its own (the error was in a module it imports) or is not
 * JavaScript. Node's `import()` rejects a module with a bad syntax with only the message:
 * the location is added to the stack solely when the error is fatal, so a config or
 * implementation file is re-read with `node --check`, on this failure path only.
 */
export function javaScriptSyntaxLocation(file: string): string | null {
  if (!JS_EXTENSIONS.has(extname(file))) return null;
  try {
    execFileSync(process.execPath, ["--check", file], {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 10_000,
    });
    return null;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    const at = CHECK_AT.exec(stderr);
    if (!at) return null;
    return `${at[1]}:${at[2]}:${(at[4] as string).length + 1}`;
  }
}
