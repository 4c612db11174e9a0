import { existsSync } from "node:fs";
import path from "node:path";
import { CliError } from "../util/cli-error.js";
import { cliPackageDir, findPackage, type PackageInfo } from "./node-packages.js";

/** Import path user protos write to use grpc-cfg's custom options. */
export const OPTIONS_PROTO = "grpc_cfg/v1/options.proto";

/** Files @grpc-cfg/codegen ships besides its code. */
export interface CodegenAssets {
  readonly package: PackageInfo;
  /** Proto root holding {@link OPTIONS_PROTO} (an import path for buf). */
  readonly protoRoot: string;
  /** Folder of the bundled Handlebars templates (what `templates eject` copies). */
  readonly templatesDir: string;
}

/** Like {@link resolveCodegenAssets}, but `undefined` when @grpc-cfg/codegen is not installed. */
export function findCodegenAssets(projectRoot: string): CodegenAssets | undefined {
  if (!findPackage("@grpc-cfg/codegen", [projectRoot, cliPackageDir])) return undefined;
  return resolveCodegenAssets(projectRoot);
}

/**
 * Locates @grpc-cfg/codegen — the project's own copy first, else the one the CLI depends on —
 * and the proto and template folders it ships.
 */
export function resolveCodegenAssets(projectRoot: string): CodegenAssets {
  const found = findPackage("@grpc-cfg/codegen", [projectRoot, cliPackageDir]);
  if (!found) {
    throw new CliError("@grpc-cfg/codegen (the protoc-gen-grpc-cfg plugin) is not installed", {
      hint: "Install it in the project: npm install --save-dev @grpc-cfg/codegen",
    });
  }
  const protoRoot = path.join(found.dir, "proto");
  if (!existsSync(path.join(protoRoot, OPTIONS_PROTO))) {
    throw new CliError(`${found.name} ${found.version} does not ship ${OPTIONS_PROTO}`, {
      hint: "Reinstall @grpc-cfg/codegen; its proto/ folder is missing.",
    });
  }
  return { package: found, protoRoot, templatesDir: path.join(found.dir, "templates") };
}

/** Whether a `local:` plugin entry runs protoc-gen-grpc-cfg (by name, path or command list). */
export function isGrpcCfgPlugin(local: string | readonly string[] | undefined): boolean {
  if (local === undefined) return false;
  const words = typeof local === "string" ? [local] : local;
  return words.some((word) => path.basename(word).startsWith("protoc-gen-grpc-cfg"));
}
