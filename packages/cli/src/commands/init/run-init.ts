import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { displayPath } from "../../project/find-project.js";
import {
  checkProtoPackage,
  isValidNpmName,
  npmNameFromFolder,
  protoPackageFromNpmName,
} from "../../scaffold/names.js";
import { existingFiles, writeNewFiles } from "../../scaffold/new-files.js";
import { cliPackageDir, findPackage, readPackageInfo } from "../../toolchain/node-packages.js";
import { CliError } from "../../util/cli-error.js";
import { initFiles } from "./init-files.js";
import { installDependencies } from "./install-dependencies.js";

/** Options of `grpc-cfg init`. */
export interface InitOptions {
  /** Folder to create the project in (created when missing). */
  readonly dir: string;
  /** npm package name; default: made from the folder name. */
  readonly name?: string | undefined;
  /** Proto package of the sample service; default: made from the package name. */
  readonly protoPackage?: string | undefined;
  /** Write into a non-empty folder (existing files are still never overwritten). */
  readonly force: boolean;
  /** Run `npm install` (then `grpc-cfg generate`) after writing the files. */
  readonly install: boolean;
}

/** Entries a folder may hold and still count as empty: a fresh `git init` is fine. */
const IGNORED_ENTRIES = new Set([".git", ".DS_Store"]);

/**
 * `grpc-cfg init [dir]`: writes a complete project (see init-files.ts), then installs its
 * dependencies and generates code, or says how to. Never overwrites a file.
 */
export async function runInit(options: InitOptions): Promise<void> {
  const root = path.resolve(options.dir);
  checkTarget(root, options.force);
  const projectName = chooseProjectName(options.name, root);
  const protoPackage = options.protoPackage
    ? checkProtoPackage(options.protoPackage)
    : protoPackageFromNpmName(projectName);
  const cliVersion = readPackageInfo(cliPackageDir)?.version ?? "0.1.0";

  const files = await initFiles({ projectName, protoPackage, cliVersion });
  const kept = new Set(existingFiles(root, files).map((file) => file.path));
  const created = files.filter((file) => !kept.has(file.path));
  await writeNewFiles(root, created);

  // The absolute folder: relative to the working folder, `init /tmp/x` run in /tmp printed
  // "created x in x", which reads as if the name were repeated by mistake.
  process.stdout.write(
    `created ${projectName} in ${root} (${created.length} files, proto package ${protoPackage})\n`,
  );
  for (const file of created) process.stdout.write(`  ${file.path}\n`);
  for (const file of kept) process.stdout.write(`  ${file} (exists, left unchanged)\n`);

  if (options.install) await installDependencies(root);
  if (findPackage("@grpc-cfg/runtime", [root])) {
    const { runGenerate } = await import("../generate/run-generate.js");
    await runGenerate({ cwd: root });
    printNextSteps(root, ["npm test", "npm start"]);
  } else {
    printNextSteps(root, ["npm install", "npm run generate", "npm test", "npm start"]);
  }
}

/** Refuses a target that is a file, or a non-empty folder without `--force`. */
function checkTarget(root: string, force: boolean): void {
  if (!existsSync(root)) return;
  if (!statSync(root).isDirectory()) {
    throw new CliError(`${displayPath(root)} is a file, not a folder`, {
      hint: "Give grpc-cfg init a new or empty folder.",
    });
  }
  const entries = readdirSync(root).filter((entry) => !IGNORED_ENTRIES.has(entry));
  if (entries.length === 0 || force) return;
  const shown = entries.slice(0, 5).join(", ") + (entries.length > 5 ? ", …" : "");
  throw new CliError(`${displayPath(root)} is not empty (${shown})`, {
    hint: "Use a new folder (grpc-cfg init my-service), or --force to add the project files beside what is there (existing files are never overwritten).",
  });
}

function chooseProjectName(name: string | undefined, root: string): string {
  if (name !== undefined) {
    if (!isValidNpmName(name)) {
      throw new CliError(`--name ${JSON.stringify(name)} is not a valid npm package name`, {
        hint: "Use lowercase letters, digits, - . _ ~ (optionally @scope/name), e.g. --name order-service.",
      });
    }
    return name;
  }
  const derived = npmNameFromFolder(path.basename(root));
  if (!derived) {
    throw new CliError(`cannot make a package name from the folder name "${path.basename(root)}"`, {
      hint: "Pass one: grpc-cfg init --name my-service",
    });
  }
  return derived;
}

function printNextSteps(root: string, steps: readonly string[]): void {
  const relative = path.relative(process.cwd(), root);
  const all =
    relative === ""
      ? steps
      : [`cd ${relative.includes(" ") ? JSON.stringify(relative) : relative}`, ...steps];
  process.stdout.write(`\nnext:\n${all.map((step) => `  ${step}\n`).join("")}`);
}
