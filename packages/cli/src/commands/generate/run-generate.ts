import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  pluginProgram,
  readBufGenYaml,
  readBufYaml,
  type BufYaml,
} from "../../project/buf-config.js";
import { displayPath, findGeneratingProject } from "../../project/find-project.js";
import { resolveBuf, runBuf, type BufBinary } from "../../toolchain/buf-binary.js";
import { failWithBufOutput, parseBufOutput } from "../../toolchain/buf-diagnostics.js";
import { createBufWorkspace } from "../../toolchain/buf-workspace.js";
import { findCodegenAssets } from "../../toolchain/codegen-assets.js";
import { cliPackageDir, readPackageInfo, toolchainPath } from "../../toolchain/node-packages.js";
import { identifyPlugin, packageIdentity } from "../../toolchain/plugin-identity.js";
import { CliError } from "../../util/cli-error.js";
import { createProgress, formatDuration, type Progress } from "../../util/progress.js";
import { computeFingerprint, type Fingerprint } from "./fingerprint.js";
import { reportCheck, reportGenerated, reportUpToDate } from "./generate-report.js";
import {
  rememberedConfigCurrent,
  resolveSettings,
  type ResolvedSettings,
} from "./generate-settings.js";
import {
  outputsIntact,
  readGenerateState,
  writeGenerateState,
  type GenerateState,
} from "./generate-state.js";
import { buildRunTemplate, templatesOption, type RunTemplate } from "./generate-template.js";
import { GeneratedHeaderMatcher } from "./generated-header.js";
import { outFolderWarnings } from "./out-folder-warnings.js";
import { applyOutputSync, isInSync, planOutputSync } from "./output-sync.js";
import { countServices } from "./proto-census.js";

/** Options of `grpc-cfg generate`. */
export interface GenerateOptions {
  /** Folder to start looking for buf.yaml from (default: the working folder). */
  readonly cwd?: string | undefined;
  /** Regenerate even when nothing changed. */
  readonly force?: boolean;
  /** Compare only: exit non-zero when generated files are stale, touch nothing. */
  readonly check?: boolean;
  readonly templates?: string | undefined;
  readonly out?: string | undefined;
  readonly quiet?: boolean;
}

/** Everything a run needs, worked out before deciding whether there is anything to do. */
interface PreparedRun {
  readonly startedAt: number;
  readonly options: GenerateOptions;
  readonly progress: Progress;
  readonly project: ReturnType<typeof findGeneratingProject>;
  readonly bufYaml: BufYaml;
  readonly previous: GenerateState | undefined;
  readonly settings: ResolvedSettings;
  readonly buf: BufBinary;
  readonly pathValue: string;
  readonly programs: readonly string[];
  readonly runTemplate: RunTemplate;
  readonly fingerprint: Fingerprint;
  /** Disagreements about the output folder, printed by whichever path the run takes. */
  readonly warnings: readonly string[];
  /** Identity of this CLI build (see packageIdentity). */
  readonly cli: string;
}

/**
 * `grpc-cfg generate`: buf generate into a temp folder, then sync into the project (or, with
 * `check`, only compare). Skips all work when the fingerprint of every input matches the last
 * run and the generated files are untouched.
 */
export async function runGenerate(options: GenerateOptions): Promise<void> {
  const run = await prepareRun(options);
  if (reportIfUpToDate(run)) return;
  await generateAndSync(run);
}

/**
 * The no-op path on its own, for the CLI's fast start: reports and resolves `true` when the
 * project is up to date, else resolves `false` without doing anything.
 */
export async function skipIfUpToDate(options: GenerateOptions): Promise<boolean> {
  // A changed config file means work to do: leave it to the full run rather than pay for
  // loading the config twice.
  const project = findGeneratingProject(options.cwd ?? process.cwd());
  const previous = readGenerateState(project.root);
  if (!previous || !rememberedConfigCurrent(project.root, previous.config)) return false;
  const run = await prepareRun(options);
  return reportIfUpToDate(run);
}

async function prepareRun(options: GenerateOptions): Promise<PreparedRun> {
  const startedAt = performance.now();
  const progress = createProgress({ quiet: options.quiet === true });
  const project = findGeneratingProject(options.cwd ?? process.cwd());
  const bufYaml = readBufYaml(project.bufYamlPath);
  const template = readBufGenYaml(project.bufGenYamlPath);
  const cli = packageIdentity(readPackageInfo(cliPackageDir)!, "dist");
  // A state written by another CLI build may hold settings that build read differently.
  const previous = ifWrittenBy(cli, readGenerateState(project.root));
  const settings = await resolveSettings(project.root, options, previous);

  const buf = resolveBuf();
  const pathValue = toolchainPath(project.root);
  const programs = template.plugins.map(pluginProgram).filter((p): p is string => p !== undefined);
  const plugins = programs.map((program) => identifyPlugin(program, pathValue, project.root));
  const runTemplate = buildRunTemplate(template, project.root, settings);
  const fingerprint = computeFingerprint({
    projectRoot: project.root,
    configFiles: [project.bufYamlPath, project.bufGenYamlPath, path.join(project.root, "buf.lock")],
    moduleDirs: bufYaml.modules.map((module) => module.path),
    templatesDir: settings.templates ?? templatesOption(template, project.root),
    tools: [
      `buf@${buf.version}`,
      cli,
      ...plugins.map((plugin) => `${plugin.program}=${plugin.identity}`),
    ],
    settings: {
      templates: settings.templates,
      out: settings.out,
      config: settings.config?.sourceHashes,
    },
  });
  const warnings = outFolderWarnings({
    projectRoot: project.root,
    template,
    configFile: settings.config?.file,
    configOut: settings.config?.settings.out,
    flagOut: options.out ? path.resolve(options.out) : undefined,
  });
  return {
    startedAt,
    options,
    progress,
    project,
    bufYaml,
    previous,
    settings,
    buf,
    pathValue,
    programs,
    runTemplate,
    fingerprint,
    warnings,
    cli,
  };
}

function ifWrittenBy(cli: string, state: GenerateState | undefined): GenerateState | undefined {
  return state?.cli === cli ? state : undefined;
}

function reportIfUpToDate(run: PreparedRun): boolean {
  const { options, previous } = run;
  if (options.force || options.check) return false;
  if (previous?.fingerprint !== run.fingerprint.value) return false;
  if (!outputsIntact(run.project.root, previous.outputs)) return false;
  for (const warning of run.warnings) run.progress.warn(warning);
  const elapsed = performance.now() - run.startedAt;
  reportUpToDate(run.progress, run.runTemplate.outDirs, run.project.root, previous, elapsed);
  return true;
}

async function generateAndSync(run: PreparedRun): Promise<void> {
  const { options, progress, project, runTemplate, fingerprint, previous } = run;
  for (const warning of run.warnings) progress.warn(warning);
  const generatedDir = await mkdtemp(path.join(os.tmpdir(), "grpc-cfg-out-"));
  try {
    await generateInto(generatedDir, run);
    progress.step("comparing with the project");
    const plan = planOutputSync({
      generatedDir,
      projectRoot: project.root,
      outDirs: runTemplate.outDirs,
      previousOutputs: previous?.outputs ?? {},
      headers: new GeneratedHeaderMatcher(run.programs),
    });
    const census = countServices(fingerprint.protos.map((proto) => proto.text));
    if (options.check) {
      reportCheck(progress, plan, project.root);
      return;
    }
    if (plan.conflicts.length > 0) throwConflicts(plan.conflicts, project.root);
    const writes = plan.created.length + plan.changed.length;
    if (!isInSync(plan)) progress.step(`writing ${writes} files, removing ${plan.removed.length}`);
    const outputs = await applyOutputSync(plan, generatedDir, project.root, runTemplate.outDirs);
    await writeGenerateState(project.root, {
      version: 1,
      cli: run.cli,
      fingerprint: fingerprint.value,
      config: run.settings.config,
      outputs,
      services: census.services,
      methods: census.methods,
    });
    const elapsed = performance.now() - run.startedAt;
    reportGenerated(progress, plan, runTemplate.outDirs, project.root, census, elapsed);
  } finally {
    await rm(generatedDir, { recursive: true, force: true });
  }
}

async function generateInto(generatedDir: string, run: PreparedRun): Promise<void> {
  const { project, bufYaml, runTemplate, progress, buf } = run;
  const workspace = await createBufWorkspace({
    root: project.root,
    bufYaml,
    bufYamlPath: project.bufYamlPath,
    optionsProtoRoot: findCodegenAssets(project.root)?.protoRoot,
    bufGenYaml: runTemplate.content,
  });
  try {
    // grpc-cfg's options are there to be imported, not generated (a template with its own
    // inputs chooses its targets itself).
    const exclude =
      workspace.optionsExcludePath && !runTemplate.content.inputs
        ? ["--exclude-path", workspace.optionsExcludePath]
        : [];
    progress.step(`buf generate (${runTemplate.outDirs.length} plugins)`);
    const started = performance.now();
    const args = ["generate", "--error-format", "json", "-o", generatedDir, ...exclude];
    const result = await runBuf(buf, args, {
      cwd: workspace.dir,
      env: { ...process.env, PATH: run.pathValue },
    });
    if (result.code !== 0) {
      const output = parseBufOutput(
        `${result.stderr}\n${result.stdout}`,
        workspace.realPath,
        workspace.dir,
        (importPath) => findProtoFile(bufYaml, workspace.realPath, importPath),
      );
      const refusedBy = output.diagnostics.find((d) => d.type !== "COMPILE")?.type;
      failWithBufOutput(
        output,
        output.diagnostics.length === 0
          ? "buf generate failed"
          : refusedBy === undefined
            ? "the .proto files do not compile"
            : `${refusedBy} refused the .proto files`,
        output.diagnostics.length > 0
          ? "Fix the .proto files at the positions above, then run grpc-cfg generate again."
          : "See buf's message above; nothing in the project was changed.",
      );
    }
    progress.step(`buf generate done in ${formatDuration(performance.now() - started)}`);
  } finally {
    await workspace.dispose();
  }
}

/** The real file of a proto import path: the first module of buf.yaml that holds it. */
function findProtoFile(
  bufYaml: BufYaml,
  realPath: (bufPath: string) => string,
  importPath: string,
): string | undefined {
  for (const module of bufYaml.modules) {
    const file = realPath(path.join(module.path, importPath));
    if (existsSync(file)) return file;
  }
  return undefined;
}

function throwConflicts(conflicts: readonly string[], projectRoot: string): never {
  const list = conflicts.map((file) => `  ${displayPath(path.join(projectRoot, file))}`).join("\n");
  process.stderr.write(
    `these files are in the way of generated code and have no generated header:\n${list}\n`,
  );
  throw new CliError(
    `${conflicts.length} hand-written file(s) would be overwritten; nothing was changed`,
    {
      hint: "Move them out of the generated folder (or delete them), then run grpc-cfg generate again.",
    },
  );
}
