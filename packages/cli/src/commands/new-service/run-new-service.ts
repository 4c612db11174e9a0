import path from "node:path";
import { displayPath } from "../../project/find-project.js";
import { checkProtoPackage, protoPackageDir, protoPackageFromNpmName, serviceNames } from "../../scaffold/names.js";
import type { NewFile } from "../../scaffold/new-files.js";
import { refuseExisting, writeNewFiles } from "../../scaffold/new-files.js";
import { renderScaffoldTemplate } from "../../scaffold/templates.js";
import { readPackageInfo } from "../../toolchain/node-packages.js";
import { CliError } from "../../util/cli-error.js";
import { BASE_DETAILS, type ServiceBase } from "./service-bases.js";
import {
  clashingNames,
  defaultProtoPackage,
  moduleDirFor,
  readProjectLayout,
  type ProjectLayout,
} from "./project-layout.js";

/** Options of `grpc-cfg new service`. */
export interface NewServiceOptions {
  /** Where to look for the project (buf.yaml here or above). */
  readonly cwd: string;
  /** Service name, PascalCase; `Service` is appended when missing. */
  readonly name: string;
  /** Proto package; default: the one the project's protos use. */
  readonly protoPackage?: string | undefined;
  readonly base: ServiceBase;
  /** Folder of the implementation, relative to the project; default `src/<service>`. */
  readonly app?: string | undefined;
}

/**
 * `grpc-cfg new service NAME`: writes `<module>/<pkg>/<name>.proto` (the service with one
 * sample rpc) and `src/<name>/grpc-services.ts` (a class extending the generated base whose
 * methods answer UNIMPLEMENTED). Refuses, before writing anything, when either file exists
 * or the package already declares one of the names.
 */
export async function runNewService(options: NewServiceOptions): Promise<void> {
  const names = serviceNames(options.name);
  const layout = readProjectLayout(options.cwd);
  const protoPackage = options.protoPackage
    ? checkProtoPackage(options.protoPackage)
    : (defaultProtoPackage(layout) ?? fallbackPackage(layout.root));
  const rpcName = `Get${names.entity}`;
  const clashes = clashingNames(layout, protoPackage, [names.service, `${rpcName}Request`, `${rpcName}Response`]);
  if (clashes.length > 0) {
    throw new CliError(`already declared: ${clashes.join(", ")}`, {
      hint: "Pick another service name, or put it in another package with --package.",
    });
  }

  const protoDir = protoPackageDir(protoPackage);
  const protoFile = path.join(moduleDirFor(layout, protoPackage), protoDir, `${names.fileStem}.proto`);
  const appDir = options.app ? path.resolve(layout.root, options.app) : path.join(layout.root, "src", names.appFolder);
  const stubFile = path.join(appDir, "grpc-services.ts");
  const { assignHandlerNames } = await import("@grpc-cfg/codegen");
  // The generator renames handlers that would shadow a base-class helper (GetUser → handleGetUser).
  const handlerName = assignHandlerNames([rpcName], names.service)[0]?.handler ?? rpcName;
  const base = BASE_DETAILS[options.base];
  const values = {
    protoPackage,
    protoDir,
    protoFile: posix(path.relative(layout.root, protoFile)),
    serviceName: names.service,
    entityWords: names.words,
    fileStem: names.fileStem,
    rpcName,
    handlerName,
    baseKind: base.option,
    baseSummary: base.summary,
    contextType: base.context,
    genImport: importPath(appDir, layout.generatedDir),
  };
  const files: NewFile[] = [
    { path: posix(path.relative(layout.root, protoFile)), content: await renderScaffoldTemplate("new-service/service.proto.tmpl", values) },
    { path: posix(path.relative(layout.root, stubFile)), content: await renderScaffoldTemplate("new-service/grpc-services.ts.tmpl", values) },
  ];
  refuseExisting(layout.root, files, "grpc-cfg never overwrites a file: pick another service name, or --app DIR for the implementation.");
  await writeNewFiles(layout.root, files);

  process.stdout.write(`created ${protoPackage}.${names.service} (${options.base})\n`);
  for (const file of files) process.stdout.write(`  ${displayPath(path.join(layout.root, file.path))}\n`);
  const outside = await appFolderOutsideConfig(layout, appDir);
  if (outside) process.stderr.write(`warning: ${outside}\n`);
  process.stdout.write(`\nnext: grpc-cfg generate, then implement ${handlerName}() in ${displayPath(stubFile)}\n`);
}

/** Package for the first service of a project without protos: `<npm name>.v1`. */
function fallbackPackage(root: string): string {
  const name = readPackageInfo(root)?.name ?? path.basename(root);
  return protoPackageFromNpmName(name);
}

/**
 * A warning when the config's `apps` do not cover the new implementation (serve would not
 * find it). Best effort: a config that cannot be loaded yet (dependencies not installed) is
 * reported by the commands that need it, not here.
 */
async function appFolderOutsideConfig(layout: ProjectLayout, appDir: string): Promise<string | undefined> {
  let apps: readonly string[];
  try {
    const { loadConfig } = await import("@grpc-cfg/runtime");
    apps = (await loadConfig(layout.root)).apps;
  } catch {
    return undefined;
  }
  if (apps.some((app) => isInside(appDir, app))) return undefined;
  const listed = apps.map((app) => posix(path.relative(layout.root, app)) || ".").join(", ");
  const folder = posix(path.relative(layout.root, appDir));
  return `${folder} is not below the app folders of grpc-cfg.config.ts (apps: ${listed}); add "${folder}" there or grpc-cfg serve will not find the service`;
}

/** Module specifier of `target` from files in `fromDir`: `../gen`, `./gen`. */
function importPath(fromDir: string, target: string): string {
  const relative = posix(path.relative(fromDir, target));
  if (relative === "") return ".";
  return relative.startsWith(".") ? relative : `./${relative}`;
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function posix(file: string): string {
  return file.split(path.sep).join("/");
}
