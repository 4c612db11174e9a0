import type { Argv } from "yargs";
import { Parser } from "yargs/helpers";
import { CliError } from "./cli-error.js";

/** Exit code for command-line usage errors (unknown command, flag or option value). */
export const USAGE_EXIT_CODE = 2;

/**
 * yargs turns `--force=maybe` into `force: false` without a word. This checks the raw
 * arguments against the command's boolean flags and refuses any value other than true/false.
 * Runs as a yargs middleware, after the command's builder has declared its options.
 */
export function rejectBadFlagValues(rawArgs: readonly string[], yargs: Argv): void {
  const declared = declaredOptions(yargs);
  const booleans = new Set(declared.boolean);
  for (const arg of rawArgs) {
    if (arg === "--") return;
    const match = /^--(?:no-)?([^=]+)=(.*)$/.exec(arg);
    if (!match) continue;
    const [, name, value] = match as unknown as [string, string, string];
    if (booleans.has(name) && value !== "true" && value !== "false") {
      throw new CliError(`--${name} is a flag and takes no value, got "${value}"`, {
        hint: `Write --${name} (or --${name}=true / --${name}=false).`,
        exitCode: USAGE_EXIT_CODE,
      });
    }
  }
}

/**
 * yargs turns `--port abc` into `port: NaN`, and a command checking the range then reports
 * "got NaN". This refuses a number flag whose value is not a number, quoting what was typed
 * (read again from the raw arguments, as text). Runs as a yargs middleware, like
 * {@link rejectBadFlagValues}.
 */
export function rejectNonNumbers(
  rawArgs: readonly string[],
  parsed: Record<string, unknown>,
  yargs: Argv,
): void {
  const declared = declaredOptions(yargs);
  const name = declared.number.find((option) => isNotANumber(parsed[option]));
  if (name === undefined) return;
  const typed = Parser([...rawArgs], {
    string: [name],
    boolean: declared.boolean,
    alias: declared.alias,
  })[name] as unknown;
  const texts = (Array.isArray(typed) ? typed : [typed]).filter((v) => v !== undefined);
  const text = texts.map(String).find((value) => Number.isNaN(Number(value)));
  const command = parsed["_"];
  const got = text === undefined ? "" : `, got ${JSON.stringify(text)}`;
  throw new CliError(`--${name} must be a number${got}`, {
    hint: `grpc-cfg ${Array.isArray(command) ? `${command.join(" ")} ` : ""}--help describes --${name}.`,
    exitCode: USAGE_EXIT_CODE,
  });
}

/**
 * Refuses a flag given twice (`--limit 1 --limit 2`) unless it is meant to repeat (`-H`).
 * yargs would make the values a list, reported as "got 1,2", or — for a number flag — add
 * them up and report "got 3", a value nobody typed. Boolean flags are left alone: repeating
 * one changes nothing. Runs as a yargs middleware, like {@link rejectBadFlagValues}.
 */
export function rejectRepeatedFlags(rawArgs: readonly string[], yargs: Argv): void {
  const declared = declaredOptions(yargs);
  const booleans = new Set(declared.boolean);
  const repeatable = new Set(declared.array);
  const valued = Object.keys(declared.key).filter(
    (name) => !booleans.has(name) && !repeatable.has(name),
  );
  // Read again as text, so numbers are neither converted nor added up.
  const typed = Parser([...rawArgs], {
    string: valued,
    boolean: declared.boolean,
    array: declared.array,
    alias: declared.alias,
    configuration: { "duplicate-arguments-array": true, "flatten-duplicate-arrays": true },
  });
  for (const name of valued) {
    const values = typed[name] as unknown;
    if (!Array.isArray(values) || values.length < 2) continue;
    throw new CliError(
      `--${name} given more than once (${values.map((value) => JSON.stringify(String(value))).join(", ")})`,
      { hint: `Give --${name} once.`, exitCode: USAGE_EXIT_CODE },
    );
  }
}

/**
 * Joins `--since -1h` into `--since=-1h`. yargs reads a value that starts with "-" and is not
 * a plain number as short flags (`-1 -h`: print the help), so the command never sees it and
 * cannot say what is wrong with it. Nothing in the CLI is a short flag made of a digit, so a
 * word like "-1h" after a long option can only be meant as its value. Stops at `--`.
 */
export function attachDashedValues(argv: readonly string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg === "--") return [...result, ...argv.slice(i)];
    if (
      /^--[^=]+$/.test(arg) &&
      next !== undefined &&
      /^-\d/.test(next) &&
      !/^-\d+(\.\d+)?$/.test(next)
    ) {
      result.push(`${arg}=${next}`);
      i++;
    } else {
      result.push(arg);
    }
  }
  return result;
}

function isNotANumber(value: unknown): boolean {
  return Array.isArray(value) ? value.some(isNotANumber) : Number.isNaN(value);
}

interface DeclaredOptions {
  boolean: string[];
  number: string[];
  array: string[];
  alias: Record<string, string[]>;
  /** Every declared option (and positional) by name. */
  key: Record<string, boolean>;
}

// getOptions() exists on every yargs instance but is missing from @types/yargs.
function declaredOptions(yargs: Argv): DeclaredOptions {
  return (yargs as unknown as { getOptions(): DeclaredOptions }).getOptions();
}
