import { parseArgs } from "node:util";

/**
 * A fast start for the run users repeat most: `grpc-cfg generate` with nothing to do (the
 * project's `npm run generate`, editors' on-save hooks, CI). It answers before yargs and the
 * other commands are loaded, which would otherwise cost most of the 0.3 s budget.
 *
 * Only plain invocations qualify (`generate` with --cwd, --quiet, --templates, --out). Any
 * other argument, any error, or a project that does need generating returns `false`, and the
 * full CLI handles the run — so the full CLI alone decides every message and exit code
 * except the up-to-date line.
 */
export async function tryFastPath(argv: readonly string[]): Promise<boolean> {
  if (argv[0] !== "generate") return false;
  // parseArgs lets the last of a repeated option win; the full CLI refuses the repeat.
  const flags = argv.filter((arg) => arg.startsWith("-")).map((arg) => arg.split("=")[0]);
  if (new Set(flags).size !== flags.length) return false;
  let values: { cwd?: string; quiet?: boolean; templates?: string; out?: string };
  try {
    ({ values } = parseArgs({
      args: argv.slice(1),
      options: {
        cwd: { type: "string" },
        quiet: { type: "boolean", short: "q" },
        templates: { type: "string" },
        out: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch {
    return false; // --force, --check, --help, a typo…: the full CLI deals with it
  }
  try {
    const { skipIfUpToDate } = await import("./commands/generate/run-generate.js");
    return await skipIfUpToDate(values);
  } catch {
    return false; // the full run reports the problem properly
  }
}
