/**
 * Loads and renders the Handlebars templates. Every template problem (syntax, unknown
 * field or helper, failing helper) becomes a {@link CodegenError} naming `<file>:<line>`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { CodegenError } from "./errors.js";
import { renderJsDoc } from "./jsdoc.js";

/** The template files, by role. A user template directory may override any of them. */
export const TEMPLATE_FILES = {
  serviceFile: "service-file.ts.hbs",
  manifest: "manifest.ts.hbs",
  descriptor: "descriptor.ts.hbs",
} as const;

/** Template role: which output it renders. */
export type TemplateRole = keyof typeof TEMPLATE_FILES;

/** Renders one template with a model. */
export type RenderFn = (model: object) => string;

/** One renderer per role. */
export type TemplateSet = Readonly<Record<TemplateRole, RenderFn>>;

/** Directory of the templates bundled with the package (`packages/codegen/templates`). */
export const BUNDLED_TEMPLATES_DIR = fileURLToPath(new URL("../templates/", import.meta.url));

/**
 * Loads the templates: from `dir` where it has the file, else the bundled copy.
 * `dir` is resolved against `cwd` (buf runs plugins in the buf.gen.yaml directory).
 */
export function loadTemplates(dir: string | null, cwd: string = process.cwd()): TemplateSet {
  let userDir: string | null = null;
  if (dir !== null) {
    userDir = isAbsolute(dir) ? dir : resolve(cwd, dir);
    if (!existsSync(userDir) || !statSync(userDir).isDirectory()) {
      throw new CodegenError(
        `templates directory ${userDir} does not exist (plugin option templates=${dir}, resolved against ${cwd})`,
      );
    }
  }
  const hb = createEnvironment();
  const load = (role: TemplateRole): RenderFn => {
    const fileName = TEMPLATE_FILES[role];
    const userPath = userDir === null ? null : join(userDir, fileName);
    const path =
      userPath !== null && existsSync(userPath) ? userPath : join(BUNDLED_TEMPLATES_DIR, fileName);
    return compileTemplate(hb, readFileSync(path, "utf8"), path);
  };
  return {
    serviceFile: load("serviceFile"),
    manifest: load("manifest"),
    descriptor: load("descriptor"),
  };
}

/**
 * Compiles template `source` (named `path` in errors). Syntax errors are thrown here,
 * runtime errors when the returned function renders.
 */
export function compileTemplate(hb: typeof Handlebars, source: string, path: string): RenderFn {
  try {
    hb.parse(source);
  } catch (error) {
    throw templateError(path, source, error);
  }
  const template = hb.compile(source, { noEscape: true, strict: true });
  return (model) => {
    try {
      return template(model);
    } catch (error) {
      throw templateError(path, source, error);
    }
  };
}

/** A Handlebars environment with the helpers the templates use. */
export function createEnvironment(): typeof Handlebars {
  const hb = Handlebars.create();
  // Helpers get Handlebars' options object last; its loc gives the line for errors.
  const helper = (name: string, fn: (...args: unknown[]) => unknown): void => {
    hb.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = args[args.length - 1] as { loc?: { start?: { line?: number } } };
      try {
        return fn.apply(this, args.slice(0, -1));
      } catch (error) {
        const line = options.loc?.start?.line;
        const message = error instanceof Error ? error.message : String(error);
        throw Object.assign(new Error(`helper "${name}": ${message}`), { lineNumber: line });
      }
    });
  };
  /** `{{json value}}`: a JSON (hence TS) literal. */
  helper("json", (value) => {
    if (value === undefined) throw new Error("value is undefined");
    return JSON.stringify(value);
  });
  /** `{{jsdoc lines "  "}}`: a JSDoc block from lines, indented. */
  helper("jsdoc", (lines, indent) => {
    if (!Array.isArray(lines)) throw new Error("first argument must be a list of lines");
    return renderJsDoc(lines.map(String), typeof indent === "string" ? indent : "");
  });
  /**
   * `{{key name}}`: an object-literal key. `__proto__` is computed, because a plain (or
   * quoted) `__proto__:` would set the prototype instead of defining a property.
   */
  helper("key", (name) => {
    if (typeof name !== "string") throw new Error("key must be a string");
    if (name === "__proto__") return `["__proto__"]`;
    return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
  });
  /** `{{join list ", "}}`. */
  helper("join", (list, separator) => {
    if (!Array.isArray(list)) throw new Error("first argument must be a list");
    return list.join(typeof separator === "string" ? separator : ", ");
  });
  /** `{{#if (eq a b)}}`. */
  helper("eq", (a, b) => a === b);
  return hb;
}

function templateError(path: string, source: string, error: unknown): CodegenError {
  const message = error instanceof Error ? error.message : String(error);
  return new CodegenError(
    `${path}:${errorLine(source, error, message)}: template error: ${message}`,
  );
}

function errorLine(source: string, error: unknown, message: string): number {
  const lineNumber = (error as { lineNumber?: unknown } | null)?.lineNumber;
  if (typeof lineNumber === "number") return lineNumber;
  const parse = /Parse error on line (\d+)/.exec(message);
  if (parse !== null) return Number(parse[1]);
  // "The partial x could not be found": point at the first use of the partial.
  const partial = /partial (\S+) could not be found/.exec(message);
  if (partial !== null) {
    const index = source
      .split("\n")
      .findIndex((l) => new RegExp(`{{#?>\\s*${escapeRegExp(partial[1]!)}`).test(l));
    if (index !== -1) return index + 1;
  }
  return 1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
