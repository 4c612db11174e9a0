import { copyFile, mkdir } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { displayPath } from "../../project/find-project.js";
import { resolveCodegenAssets } from "../../toolchain/codegen-assets.js";
import { CliError } from "../../util/cli-error.js";
import { listFiles } from "../../util/file-walk.js";
import { createProgress } from "../../util/progress.js";

/** Options of `grpc-cfg templates eject`. */
export interface EjectOptions {
  /** Target folder (default `templates`), relative to `cwd`. */
  readonly dir?: string | undefined;
  readonly cwd?: string | undefined;
  /** Overwrite files that already exist. */
  readonly force?: boolean | undefined;
  readonly quiet?: boolean;
}

/**
 * Copies protoc-gen-grpc-cfg's bundled templates into a folder the user owns. Existing files
 * are never overwritten without `force`: the check covers every file before any is copied,
 * so a refused eject changes nothing.
 */
export async function ejectTemplates(options: EjectOptions): Promise<void> {
  const progress = createProgress({ quiet: options.quiet === true });
  const base = path.resolve(options.cwd ?? process.cwd());
  const target = path.resolve(base, options.dir ?? "templates");
  const { templatesDir, package: codegen } = resolveCodegenAssets(base);
  const files = listFiles(templatesDir);
  if (files.length === 0) {
    throw new CliError(`${codegen.name} ${codegen.version} ships no templates in ${templatesDir}`);
  }
  const existing = files.filter((file) => existsSync(path.join(target, file)));
  if (existing.length > 0 && !options.force) {
    const list = existing.map((file) => displayPath(path.join(target, file))).join(", ");
    throw new CliError(`not overwriting existing template files: ${list}`, {
      hint: "Pass --force to replace them (your edits are lost), or eject into another folder.",
    });
  }
  for (const file of files) {
    await mkdir(path.dirname(path.join(target, file)), { recursive: true });
    await copyFile(path.join(templatesDir, file), path.join(target, file));
  }
  const shown = displayPath(target);
  progress.result(
    `copied ${files.length} templates from ${codegen.name}@${codegen.version} to ${shown}: ${files.join(", ")}`,
  );
  progress.result(
    `use them with: grpc-cfg generate --templates ${shown}  (or generate.templates in grpc-cfg.config.ts)`,
  );
}
