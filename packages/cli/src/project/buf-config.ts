import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { CliError } from "../util/cli-error.js";
import { displayPath } from "./find-project.js";

/** One module of a buf workspace, as `buf.yaml` declares it. */
export interface BufModule {
  /** Folder of the module, relative to the folder holding `buf.yaml` (`.` for the root). */
  readonly path: string;
}

/** The parts of `buf.yaml` grpc-cfg reads, plus the whole document for rewriting. */
export interface BufYaml {
  /** `v1beta1`, `v1` or `v2`. */
  readonly version: string;
  /** The modules; a file without `modules:` (and every v1 file) is one module at `.`. */
  readonly modules: readonly BufModule[];
  /** Whether the modules were listed explicitly (`modules:` in a v2 file). */
  readonly explicitModules: boolean;
  /** The parsed document, for writing an amended copy. */
  readonly raw: Record<string, unknown>;
}

/** One plugin entry of `buf.gen.yaml` (v2). Unknown keys are kept in `raw`. */
export interface BufGenPlugin {
  /** `local:` as written: a program name, a path, or a command line as a list. */
  readonly local: string | readonly string[] | undefined;
  /** `out:` relative to the project folder. */
  readonly out: string;
  /** The entry as parsed. */
  readonly raw: Record<string, unknown>;
}

/** The parts of `buf.gen.yaml` grpc-cfg reads, plus the whole document for rewriting. */
export interface BufGenYaml {
  readonly plugins: readonly BufGenPlugin[];
  /** `inputs:` as parsed, if any. */
  readonly inputs: readonly Record<string, unknown>[] | undefined;
  readonly raw: Record<string, unknown>;
}

/** Reads and checks `buf.yaml`. Throws a {@link CliError} naming the file and the problem. */
export function readBufYaml(file: string): BufYaml {
  const raw = readYamlObject(file);
  const version = typeof raw.version === "string" ? raw.version : "v1beta1";
  if (!["v1beta1", "v1", "v2"].includes(version)) {
    throw configError(file, `unknown version "${version}" (expected v1 or v2)`);
  }
  if (version !== "v2" || raw.modules === undefined) {
    return { version, modules: [{ path: "." }], explicitModules: false, raw };
  }
  if (!Array.isArray(raw.modules) || raw.modules.length === 0) {
    throw configError(file, "modules must be a non-empty list of { path: <folder> }");
  }
  const modules = raw.modules.map((entry: unknown, index): BufModule => {
    const modulePath = isRecord(entry) ? entry.path : undefined;
    if (typeof modulePath !== "string" || modulePath === "") {
      throw configError(file, `modules[${index}] needs a path: (the module's folder)`);
    }
    return { path: normaliseRelative(modulePath) };
  });
  return { version, modules, explicitModules: true, raw };
}

/** Reads and checks `buf.gen.yaml`; grpc-cfg drives v2 templates only. */
export function readBufGenYaml(file: string): BufGenYaml {
  const raw = readYamlObject(file);
  if (raw.version !== "v2") {
    throw configError(file, `version ${String(raw.version ?? "(missing)")} is not supported`, {
      hint: "grpc-cfg needs a v2 template; convert it with: npx buf config migrate",
    });
  }
  if (!Array.isArray(raw.plugins) || raw.plugins.length === 0) {
    throw configError(file, "plugins must be a non-empty list");
  }
  const plugins = raw.plugins.map((entry: unknown, index): BufGenPlugin => {
    if (!isRecord(entry) || typeof entry.out !== "string" || entry.out === "") {
      throw configError(file, `plugins[${index}] needs an out: folder`);
    }
    const local = entry.local;
    const isLocal =
      typeof local === "string" ||
      (Array.isArray(local) && local.every((part) => typeof part === "string"));
    return {
      local: isLocal ? (local as string | string[]) : undefined,
      out: normaliseRelative(entry.out),
      raw: entry,
    };
  });
  const inputs = Array.isArray(raw.inputs) ? raw.inputs.filter(isRecord) : undefined;
  return { plugins, inputs, raw };
}

/** The program a local plugin entry runs: `protoc-gen-x`, a path, or a list's first word. */
export function pluginProgram(plugin: BufGenPlugin): string | undefined {
  if (plugin.local === undefined) return undefined;
  return typeof plugin.local === "string" ? plugin.local : plugin.local[0];
}

/** Narrows `unknown` to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readYamlObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw configError(file, `cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const document = parseDocument(text, { prettyErrors: false });
  const problem = document.errors[0];
  if (problem) {
    const line = problem.linePos?.[0].line;
    throw configError(file, `invalid YAML${line ? ` at line ${line}` : ""}: ${problem.message}`);
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) throw configError(file, "must be a YAML mapping (key: value lines)");
  return value;
}

function normaliseRelative(value: string): string {
  const trimmed = value.replace(/\\/g, "/").replace(/\/+$/, "").replace(/^\.\//, "");
  return trimmed === "" ? "." : trimmed;
}

function configError(file: string, problem: string, options: { hint?: string } = {}): CliError {
  return new CliError(`${displayPath(file)}: ${problem}`, options);
}
