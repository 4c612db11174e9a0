import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { readBufGenYaml, readBufYaml } from "../../project/buf-config.js";
import { displayPath, findGeneratingProject } from "../../project/find-project.js";
import { protoPackageDir } from "../../scaffold/names.js";
import { isGrpcCfgPlugin } from "../../toolchain/codegen-assets.js";
import { CliError } from "../../util/cli-error.js";
import { listFiles } from "../../util/file-walk.js";

/** One of the project's own .proto files, read for the names it declares. */
export interface ProtoFile {
  /** Absolute path. */
  readonly file: string;
  /** `package` statement, if any. */
  readonly protoPackage: string | undefined;
  /** Top-level names it declares (services, messages, enums). */
  readonly declared: ReadonlySet<string>;
}

/** Where a new service's files go in an existing project. */
export interface ProjectLayout {
  /** Absolute project root (the folder holding buf.yaml). */
  readonly root: string;
  /** Absolute folders of the buf modules, in buf.yaml order. */
  readonly moduleDirs: readonly string[];
  /** Absolute folder protoc-gen-grpc-cfg writes to (its `out:` in buf.gen.yaml). */
  readonly generatedDir: string;
  /** The user's protos (grpc-cfg's and Google's own are left out). */
  readonly protos: readonly ProtoFile[];
}

/** Proto roots that are never the user's: imported definitions, not services to extend. */
const FOREIGN_PROTO_DIRS = ["grpc_cfg/", "google/"];

/** Reads buf.yaml, buf.gen.yaml and the project's protos, starting from `cwd`. */
export function readProjectLayout(cwd: string): ProjectLayout {
  const project = findGeneratingProject(cwd);
  const bufYaml = readBufYaml(project.bufYamlPath);
  const plugin = readBufGenYaml(project.bufGenYamlPath).plugins.find((p) =>
    isGrpcCfgPlugin(p.local),
  );
  if (!plugin) {
    throw new CliError(`${displayPath(project.bufGenYamlPath)} does not run protoc-gen-grpc-cfg`, {
      hint: "Add a `local: protoc-gen-grpc-cfg` plugin (grpc-cfg init writes one); the stub extends the class it generates.",
    });
  }
  const moduleDirs = bufYaml.modules.map((module) => path.resolve(project.root, module.path));
  const protos: ProtoFile[] = [];
  for (const dir of moduleDirs) {
    for (const relative of listFiles(dir, (name) => name.endsWith(".proto"))) {
      if (FOREIGN_PROTO_DIRS.some((prefix) => relative.startsWith(prefix))) continue;
      protos.push(readProto(path.join(dir, relative)));
    }
  }
  return {
    root: project.root,
    moduleDirs,
    generatedDir: path.resolve(project.root, plugin.out),
    protos,
  };
}

/**
 * The package a new service joins by default: the one package the project's protos use.
 * `undefined` when there are no protos yet; an error when there are several to choose from.
 */
export function defaultProtoPackage(layout: ProjectLayout): string | undefined {
  const packages = [...new Set(layout.protos.map((proto) => proto.protoPackage))].filter(
    (name): name is string => name !== undefined,
  );
  if (packages.length <= 1) return packages[0];
  throw new CliError(
    `the project's protos use ${packages.length} packages (${packages.sort().join(", ")})`,
    {
      hint: `Say which one the service joins: --package ${packages[0]}`,
    },
  );
}

/** The module a package's folder lives in: the one already holding it, else the first. */
export function moduleDirFor(layout: ProjectLayout, protoPackage: string): string {
  const packageDir = protoPackageDir(protoPackage);
  const holding = layout.moduleDirs.find((dir) => existsSync(path.join(dir, packageDir)));
  const chosen = holding ?? layout.moduleDirs[0];
  if (chosen === undefined) throw new Error("buf.yaml yielded no module");
  return chosen;
}

/** Names among `names` that protos of `protoPackage` already declare, with where. */
export function clashingNames(
  layout: ProjectLayout,
  protoPackage: string,
  names: readonly string[],
): string[] {
  const clashes: string[] = [];
  for (const proto of layout.protos) {
    if (proto.protoPackage !== protoPackage) continue;
    for (const name of names) {
      if (proto.declared.has(name))
        clashes.push(`${protoPackage}.${name} (${displayPath(proto.file)})`);
    }
  }
  return clashes;
}

function readProto(file: string): ProtoFile {
  // Comments could mention names; strings in options never hold `message X {`.
  const text = readFileSync(file, "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "");
  const protoPackage = /^\s*package\s+([\w.]+)\s*;/m.exec(text)?.[1];
  const declared = new Set<string>();
  for (const match of text.matchAll(/\b(?:service|message|enum)\s+(\w+)\s*\{/g)) {
    if (match[1]) declared.add(match[1]);
  }
  return { file, protoPackage, declared };
}
