// docs/cli.md is generated from the CLI's yargs definitions (scripts/docs/cli-reference.mjs).
// These tests fail when the page falls behind the commands, and check the generator against
// yargs itself: every flag, positional and subcommand that `--help` shows must be in the
// recorded data the page is rendered from. Needs packages/cli built (npm test builds first).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import yargs from "yargs";
import type { CommandModule } from "yargs";
import {
  CLI_DOC,
  buildCliReference,
  flatten,
  loadCommandTree,
} from "../scripts/docs/cli-reference.mjs";
import { recordCommand } from "../scripts/docs/yargs-recorder.mjs";
import { repoRoot } from "./cli-support/cli-project.js";

const COMMANDS_MODULE = path.join(repoRoot, "packages/cli/dist/commands/index.js");

interface Recorded {
  path: string[];
  usage: string;
  positionals: { name: string }[];
  options: { name: string; aliases: string[] }[];
  subcommands: Recorded[];
}

let tree: Recorded[];
let commands: CommandModule[];

beforeAll(async () => {
  if (!existsSync(COMMANDS_MODULE)) {
    throw new Error("packages/cli is not built: run `npx tsc -b packages/cli` (npm test does)");
  }
  ({ commands } = (await import(pathToFileURL(COMMANDS_MODULE).href)) as {
    commands: CommandModule[];
  });
  tree = (await loadCommandTree()) as Recorded[];
});

/** `grpc-cfg <words> --help` from real yargs over the real command modules, in process. */
function helpOf(words: readonly string[]): Promise<string> {
  const parser = yargs()
    .scriptName("grpc-cfg")
    .command(commands)
    .help()
    .version(false)
    .wrap(100)
    .strict();
  return new Promise((resolve, reject) => {
    void parser.parse([...words, "--help"], {}, (error, _argv, output) => {
      if (error) reject(error);
      else resolve(output);
    });
  });
}

/** The lines of one `Title:` section of help text, up to the next blank line. */
function section(help: string, title: string): string[] {
  const lines = help.split("\n");
  const start = lines.indexOf(`${title}:`);
  if (start < 0) return [];
  const end = lines.findIndex((line, index) => index > start && line.trim() === "");
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Flag names (without dashes) listed under Options:, e.g. ["header", "H", "deadline"]. */
function helpFlags(help: string): string[] {
  return section(help, "Options")
    .map((line) => /^ {2,6}(-{1,2}[\w-]+(?:, -{1,2}[\w-]+)*)/.exec(line)?.[1])
    .filter((match): match is string => match !== undefined)
    .flatMap((names) => names.split(", ").map((name) => name.replace(/^-+/, "")))
    .filter((name) => name !== "help");
}

describe("docs/cli.md", () => {
  it("is what `npm run docs:cli` generates from the current yargs definitions", async () => {
    const expected = await buildCliReference();
    const actual = await readFile(CLI_DOC, "utf8");
    // On failure: run `npm run docs:cli` and commit docs/cli.md.
    expect(actual === expected, "docs/cli.md is stale: run `npm run docs:cli`").toBe(true);
  });

  it("has a section for every command and subcommand", async () => {
    const page = await readFile(CLI_DOC, "utf8");
    const all = flatten(tree) as Recorded[];
    expect(all.length).toBeGreaterThan(20);
    for (const command of all) {
      const level = command.path.length === 1 ? "##" : "###";
      expect(page).toContain(`\n${level} grpc-cfg ${command.path.join(" ")}\n`);
    }
  });
});

describe("the recorded definitions match what yargs shows in --help", () => {
  it("lists the same top-level commands as `grpc-cfg --help`", async () => {
    // Wrapped descriptions continue on indented lines without the command name.
    const listed = section(await helpOf([]), "Commands")
      .map((line) => /^ {2}grpc-cfg (\S+)/.exec(line)?.[1])
      .filter(Boolean);
    expect(listed).toEqual(tree.map((command) => command.path[0]));
  });

  it("has every flag, alias, positional and subcommand of every command", async () => {
    const flagsOf = (command: Recorded) =>
      command.options.flatMap((option) => [option.name, ...option.aliases]);
    const visit = async (command: Recorded, parent: Recorded | null) => {
      const help = await helpOf(command.path);
      const where = `grpc-cfg ${command.path.join(" ")}`;
      // yargs also lists (and accepts) a parent command's flags under its subcommands, e.g.
      // `logs prune --help` shows the filters of `logs`; the reference documents each flag
      // where it is declared.
      const inherited = new Set(parent ? flagsOf(parent) : []);
      const shown = helpFlags(help);
      const own = shown.filter((flag) => !inherited.has(flag) || flagsOf(command).includes(flag));
      expect(flagsOf(command).sort(), where).toEqual(own.sort());

      const positionals = section(help, "Positionals").map((line) => /^ {2}(\S+)/.exec(line)?.[1]);
      expect(
        command.positionals.map((p) => p.name),
        where,
      ).toEqual(positionals.filter(Boolean));

      const subcommands = section(help, "Commands")
        .map((line) => /^ {2}grpc-cfg (.+?)(?: {2,}|$)/.exec(line)?.[1])
        .filter(Boolean);
      expect(
        command.subcommands.map((sub) => sub.usage),
        where,
      ).toEqual(subcommands);
      for (const sub of command.subcommands) await visit(sub, command);
    };
    for (const command of tree) await visit(command, null);
  });
});

describe("the yargs recorder", () => {
  it("records options, aliases, positionals, conflicts, examples and nested commands", () => {
    const child: CommandModule = {
      command: "child <id> [rest..]",
      describe: "A child",
      builder: (y) =>
        y
          .positional("id", { type: "string", describe: "Which one" })
          .options({ all: { type: "boolean", alias: "a", describe: "Everything" } })
          .option("secret", { type: "string", hidden: true }),
      handler: () => {},
    };
    const parent: CommandModule = {
      command: "parent",
      describe: "A parent",
      builder: (y) =>
        y
          .command(child)
          .option("mode", { choices: ["x", "y"], default: "x", describe: "Mode" })
          .option("force", { type: "boolean", demandOption: true })
          .conflicts("mode", "force")
          .example("$0 parent --mode y", "why")
          .epilog("Exit status: 0 ok."),
      handler: () => {},
    };
    const recorded = recordCommand(parent);
    expect(recorded.options.map((o: { name: string }) => o.name)).toEqual(["mode", "force"]);
    expect(recorded.options[0]).toMatchObject({ choices: ["x", "y"], default: "x" });
    expect(recorded.options[1]).toMatchObject({ required: true, type: "boolean" });
    expect(recorded.conflicts).toEqual([["mode", "force"]]);
    expect(recorded.examples).toEqual([{ command: "$0 parent --mode y", describe: "why" }]);
    expect(recorded.epilogs).toEqual(["Exit status: 0 ok."]);
    const [sub] = recorded.subcommands;
    expect(sub.usage).toBe("parent child <id> [rest..]");
    expect(sub.positionals).toMatchObject([
      { name: "id", required: true, variadic: false, describe: "Which one" },
      { name: "rest", required: false, variadic: true },
    ]);
    // Hidden options stay out of the reference.
    expect(sub.options).toMatchObject([{ name: "all", aliases: ["a"], type: "boolean" }]);
  });
});
