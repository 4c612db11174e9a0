#!/usr/bin/env node
// Generates docs/cli.md from the yargs definitions of `grpc-cfg` (packages/cli/dist, so build
// the CLI first: `npx tsc -b packages/cli`).
//
//   node scripts/docs/cli-reference.mjs          write docs/cli.md   (npm run docs:cli)
//   node scripts/docs/cli-reference.mjs --check  exit 1 when docs/cli.md is stale
//
// tests/docs-cli.test.ts runs the same generation in memory and fails when the file is stale.
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  anchor,
  code,
  escapeText,
  formatMarkdown,
  helpTextBlocks,
  repoRoot,
  table,
  writeOrCheck,
} from "./markdown.mjs";
import { recordCommand } from "./yargs-recorder.mjs";

/** Where the reference is written. */
export const CLI_DOC = path.join(repoRoot, "docs/cli.md");
const COMMANDS_MODULE = path.join(repoRoot, "packages/cli/dist/commands/index.js");
const BIN = "grpc-cfg";

/** Every command as recorded data, in the order of the CLI's command list. */
export async function loadCommandTree() {
  const { commands } = await import(pathToFileURL(COMMANDS_MODULE).href);
  return commands.map((module) => recordCommand(module)).filter((command) => command !== null);
}

/** Depth-first list of a command and its subcommands. */
export function flatten(commands) {
  return commands.flatMap((command) => [command, ...flatten(command.subcommands)]);
}

function title(command) {
  return `${BIN} ${command.path.join(" ")}`;
}

function typeOf(option) {
  if (option.choices) return option.choices.map((choice) => code(choice)).join(" \\| ");
  const base = option.type ?? "string";
  return option.array ? `${base} (repeatable)` : base;
}

function flagNames(option) {
  const names = [option.name, ...option.aliases]
    .sort((a, b) => b.length - a.length)
    .map((name) => (name.length === 1 ? `-${name}` : `--${name}`));
  return names.map(code).join(", ");
}

function defaultOf(value) {
  if (value === undefined) return "";
  if (Array.isArray(value) && value.length === 0) return "";
  return code(typeof value === "string" ? JSON.stringify(value) : String(value));
}

function describeOption(option, command) {
  const parts = [escapeText(option.describe, { table: true })];
  for (const [a, b] of command.conflicts) {
    if (a === option.name || b === option.name) {
      parts.push(`Not with ${code(`--${a === option.name ? b : a}`)}.`);
    }
  }
  if (option.required) parts.push("**Required.**");
  // Flag descriptions are fragments; end one with a full stop before adding sentences.
  if (parts.length > 1 && parts[0] !== "" && !/[.!?]$/.test(parts[0])) parts[0] += ".";
  return parts.filter((part) => part !== "").join(" ");
}

function positionalsTable(command) {
  if (command.positionals.length === 0) return null;
  const rows = command.positionals.map((p) => [
    code(p.variadic ? `${p.name}..` : p.name),
    p.required ? "yes" : "no",
    defaultOf(p.default),
    escapeText(p.describe ?? "", { table: true }),
  ]);
  return table(["Argument", "Required", "Default", "Description"], rows);
}

function optionsTable(command) {
  if (command.options.length === 0) return null;
  const rows = command.options.map((option) => [
    flagNames(option),
    typeOf(option),
    defaultOf(option.default),
    describeOption(option, command),
  ]);
  return table(["Flag", "Type", "Default", "Description"], rows);
}

function examplesBlock(command) {
  if (command.examples.length === 0) return null;
  const lines = command.examples.map((example) => ({
    command: example.command.replace(/\$0/g, BIN),
    comment: example.describe,
  }));
  const width = Math.max(...lines.map((line) => line.command.length));
  const body = lines
    .map((line) =>
      line.comment ? `${line.command.padEnd(width)}  # ${line.comment}` : line.command,
    )
    .join("\n");
  return `Examples:\n\n\`\`\`sh\n${body}\n\`\`\``;
}

function commandSection(command) {
  const level = command.path.length === 1 ? "##" : "###";
  const parts = [`${level} ${title(command)}`, escapeText(command.describe)];
  const hasOwnRun = command.positionals.length > 0 || command.options.length > 0;
  if (command.subcommands.length === 0 || hasOwnRun) {
    parts.push(
      `\`\`\`sh\n${BIN} ${command.usage}${command.options.length ? " [options]" : ""}\n\`\`\``,
    );
  }
  if (command.aliases.length > 0) {
    parts.push(`Aliases: ${command.aliases.map((alias) => code(alias)).join(", ")}.`);
  }
  if (command.subcommands.length > 0) {
    const rows = command.subcommands.map((sub) => [
      `[${code(`${BIN} ${sub.usage}`)}](#${anchor(title(sub))})`,
      escapeText(sub.describe, { table: true }),
    ]);
    parts.push(table(["Subcommand", "What it does"], rows));
  }
  for (const block of [positionalsTable(command), optionsTable(command), examplesBlock(command)]) {
    if (block) parts.push(block);
  }
  for (const epilog of command.epilogs) {
    parts.push(...helpTextBlocks(epilog));
  }
  return [parts.join("\n\n"), ...command.subcommands.map(commandSection)].join("\n\n");
}

const INTRO = `# CLI reference

<!-- Generated by scripts/docs/cli-reference.mjs from the yargs definitions in packages/cli. Do not edit by hand: run \`npm run docs:cli\`. -->

Every \`${BIN}\` command with its arguments and flags, generated from the CLI's own yargs
definitions (tests/docs-cli.test.ts fails when this page falls behind them). The same text,
laid out for a terminal, is printed by \`${BIN} <command> --help\`.

Conventions that hold for every command:

- \`-h\`, \`--help\` prints the command's help; \`--version\` prints the CLI version.
- Exit status: \`0\` success, \`1\` the command failed (the message says why and a \`hint:\`
  line says what to do), \`2\` bad usage: an unknown command or flag, a missing argument, or
  a bad flag value.
- Boolean flags take no value: \`--json\`, \`--no-migrate\`, or explicitly \`--json=true\` /
  \`--json=false\`; anything else (\`--json=yes\`) is refused with exit status 2.
- Commands that read the database (\`migrate\`, \`users\`, \`keys\`, \`logs\`, \`stats\`,
  \`status\`, \`monitor\`) load \`grpc-cfg.config.ts\` from the working folder and use
  \`DATABASE_URL\` (PostgreSQL) or the embedded PGlite folder; see
  [configuration](configuration.md). The embedded database admits one process at a time, so
  run them while \`${BIN} serve\` is stopped, or use PostgreSQL.`;

/** The whole reference as formatted Markdown. */
export async function renderCliReference(commands) {
  const index = table(
    ["Command", "What it does"],
    commands.map((command) => [
      `[${code(`${BIN} ${command.usage}`)}](#${anchor(title(command))})`,
      escapeText(command.describe, { table: true }),
    ]),
  );
  const markdown = [INTRO, "## Commands", index, ...commands.map(commandSection)].join("\n\n");
  return formatMarkdown(`${markdown}\n`, CLI_DOC);
}

/** Generates the reference from the built CLI. */
export async function buildCliReference() {
  return renderCliReference(await loadCommandTree());
}

async function main() {
  const check = process.argv.includes("--check");
  const content = await buildCliReference();
  const ok = await writeOrCheck(CLI_DOC, content, { check });
  const shown = path.relative(process.cwd(), CLI_DOC);
  if (!ok) {
    process.stderr.write(`${shown} is stale: run npm run docs:cli\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(check ? `${shown} is up to date\n` : `wrote ${shown}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
