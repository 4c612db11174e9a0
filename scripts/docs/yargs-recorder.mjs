// Reads the `grpc-cfg` command definitions without running them: each command module's
// builder is called with a recording stand-in for yargs, which notes the options,
// positionals, examples, epilogs and subcommands the builder declares. The result is plain
// data that cli-reference.mjs renders as Markdown.
//
// Why a recorder and not `--help` text: help output is laid out for a 100-column terminal
// and would have to be parsed back into flags, types and defaults; the builders already hold
// them as data. tests/docs-cli.test.ts cross-checks the result against the real `--help`.

/**
 * @typedef {object} RecordedOption
 * @property {string} name
 * @property {string[]} aliases
 * @property {string | undefined} type string, number, boolean or undefined (inferred)
 * @property {boolean} array
 * @property {readonly unknown[] | undefined} choices
 * @property {unknown} default
 * @property {boolean} required
 * @property {string} describe
 */

/**
 * @typedef {object} RecordedCommand
 * @property {string[]} path command words after `grpc-cfg`, e.g. ["keys", "create"]
 * @property {string} usage the command string with the full path, e.g. "keys show <id>"
 * @property {string} describe
 * @property {string[]} aliases
 * @property {{ name: string, required: boolean, variadic: boolean, type?: string, default?: unknown, describe: string, choices?: readonly unknown[] }[]} positionals
 * @property {RecordedOption[]} options
 * @property {{ command: string, describe: string }[]} examples
 * @property {string[]} epilogs
 * @property {[string, string][]} conflicts
 * @property {RecordedCommand[]} subcommands
 */

/** Words of a yargs command string: `"show <id>"` → name "show", positionals [id]. */
function parseCommandString(commandString) {
  const [name = "", ...rest] = commandString.trim().split(/\s+/);
  const positionals = rest.map((token) => {
    const required = token.startsWith("<");
    const inner = token.replace(/^[<[]|[>\]]$/g, "");
    const variadic = inner.endsWith("..");
    return { name: inner.replace(/\.\.$/, ""), required, variadic };
  });
  return { name, positionals };
}

function optionFrom(name, spec = {}) {
  const alias = spec.alias ?? [];
  return {
    name,
    aliases: Array.isArray(alias) ? [...alias] : [alias],
    type: spec.type ?? (spec.boolean ? "boolean" : spec.number ? "number" : undefined),
    array: spec.array === true || spec.type === "array",
    choices: spec.choices,
    default: spec.default,
    required: spec.demandOption !== undefined && spec.demandOption !== false,
    describe: typeof spec.describe === "string" ? spec.describe : (spec.description ?? ""),
    hidden: spec.hidden === true || spec.describe === false,
  };
}

/** A command module from `.command(module)` or `.command(cmd, desc, builder, handler)`. */
function moduleFrom(args) {
  if (typeof args[0] === "object" && args[0] !== null && !Array.isArray(args[0])) return args[0];
  const [command, describe, builder] = args;
  return { command, describe, builder };
}

/**
 * Runs `module.builder` against a recorder and returns what it declared, recursing into
 * subcommands. `parentPath` holds the words before this command.
 * @returns {RecordedCommand | null} null for hidden commands (describe: false)
 */
export function recordCommand(module, parentPath = []) {
  if (module.describe === false) return null;
  const commandString = Array.isArray(module.command) ? module.command[0] : module.command;
  const { name, positionals } = parseCommandString(commandString);
  const path = [...parentPath, name];
  /** @type {RecordedCommand} */
  const recorded = {
    path,
    usage: [...parentPath, commandString.trim()].join(" "),
    describe: module.describe ?? module.desc ?? module.description ?? "",
    aliases: [
      ...(Array.isArray(module.command) ? module.command.slice(1) : []),
      ...[module.aliases ?? []].flat(),
    ],
    positionals: positionals.map((p) => ({ ...p, describe: "" })),
    options: [],
    examples: [],
    epilogs: [],
    conflicts: [],
    subcommands: [],
  };
  const addOption = (optionName, spec) => {
    const option = optionFrom(optionName, spec);
    const existing = recorded.options.findIndex((o) => o.name === optionName);
    if (existing >= 0) recorded.options.splice(existing, 1, option);
    else recorded.options.push(option);
  };
  const addSubcommand = (...args) => {
    const sub = recordCommand(moduleFrom(args), path);
    if (sub) recorded.subcommands.push(sub);
  };

  const recorder = new Proxy(
    {},
    {
      get(_target, property) {
        if (property === "then") return undefined; // not a thenable
        switch (property) {
          case "option":
          case "options":
            return (nameOrMap, spec) => {
              if (typeof nameOrMap === "string") addOption(nameOrMap, spec);
              else for (const [key, value] of Object.entries(nameOrMap)) addOption(key, value);
              return recorder;
            };
          case "positional":
            return (positionalName, spec = {}) => {
              const target = recorded.positionals.find((p) => p.name === positionalName);
              if (target) {
                Object.assign(target, {
                  type: spec.type,
                  default: spec.default,
                  choices: spec.choices,
                  describe: spec.describe ?? spec.description ?? "",
                });
              }
              return recorder;
            };
          case "command":
          case "commands":
            return (...args) => {
              if (Array.isArray(args[0])) for (const sub of args[0]) addSubcommand(sub);
              else addSubcommand(...args);
              return recorder;
            };
          case "example":
            return (command, describe = "") => {
              const list = Array.isArray(command) ? command : [[command, describe]];
              for (const [cmd, desc = ""] of list) {
                recorded.examples.push({ command: cmd, describe: desc });
              }
              return recorder;
            };
          case "epilog":
          case "epilogue":
            return (text) => {
              recorded.epilogs.push(text);
              return recorder;
            };
          case "conflicts":
            return (a, b) => {
              if (typeof a === "string") {
                for (const other of [b].flat()) recorded.conflicts.push([a, other]);
              }
              return recorder;
            };
          default:
            // demandCommand, check, middleware, strict…: no documentation value.
            return () => recorder;
        }
      },
    },
  );

  if (typeof module.builder === "function") module.builder(recorder);
  else if (module.builder && typeof module.builder === "object") {
    for (const [key, value] of Object.entries(module.builder)) addOption(key, value);
  }
  recorded.options = recorded.options.filter((option) => !option.hidden);
  return recorded;
}
