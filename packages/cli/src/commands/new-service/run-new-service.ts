import path from "node:path";
import { displayPath } from "../../project/find-project.js";
import { checkProtoPackage, protoPackageFromNpmName, serviceNames } from "../../scaffold/names.js";
import { refuseExisting, writeNewFiles } from "../../scaffold/new-files.js";
import { readPackageInfo } from "../../toolchain/node-packages.js";
import { CliError } from "../../util/cli-error.js";
import {
  clashingNames,
  defaultProtoPackage,
  readProjectLayout,
  type ProjectLayout,
} from "./project-layout.js";
import type { ServiceBase } from "./service-bases.js";
import { posix, renderServiceFiles } from "./service-files.js";

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
  const appDir = chooseAppDir(layout, options.app, names.appFolder);
  const planned = await renderServiceFiles({
    layout,
    names,
    protoPackage,
    base: options.base,
    appDir,
  });
  refuseExisting(
    layout.root,
    planned.files,
    "grpc-cfg never overwrites a file: pick another service name, or --app DIR for the implementation.",
  );
  const rpc = planned.rpcName;
  const clashes = clashingNames(layout, protoPackage, [
    names.service,
    `${rpc}Request`,
    `${rpc}Response`,
  ]);
  if (clashes.length > 0) {
    throw new CliError(`already declared: ${clashes.join(", ")}`, {
      hint: "Pick another service name, or put it in another package with --package.",
    });
  }
  await writeNewFiles(layout.root, planned.files);

  process.stdout.write(`created ${protoPackage}.${names.service} (${options.base})\n`);
  for (const file of planned.files) {
    process.stdout.write(`  ${displayPath(path.join(layout.root, file.path))}\n`);
  }
  const outside = await appFolderOutsideConfig(layout, appDir);
  if (outside) process.stderr.write(`warning: ${outside}\n`);
  process.stdout.write(
    `\nnext: grpc-cfg generate, then implement ${planned.handlerName}() in ${displayPath(planned.stubFile)}\n`,
  );
}

/** `--app` (inside the project only) or `src/<service in kebab-case>`. */
function chooseAppDir(layout: ProjectLayout, app: string | undefined, folder: string): string {
  if (app === undefined) return path.join(layout.root, "src", folder);
  const dir = path.resolve(layout.root, app);
  if (!isInside(dir, layout.root)) {
    throw new CliError(`--app ${app} is outside the project at ${layout.root}`, {
      hint: "Give a folder inside the project, e.g. --app src/inventory.",
    });
  }
  return dir;
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
async function appFolderOutsideConfig(
  layout: ProjectLayout,
  appDir: string,
): Promise<string | undefined> {
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

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
