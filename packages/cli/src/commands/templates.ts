import type { Argv, CommandModule } from "yargs";

/** Arguments of `grpc-cfg templates eject`. */
export interface EjectArgs {
  readonly dir: string | undefined;
  readonly force: boolean | undefined;
  readonly cwd: string | undefined;
  readonly quiet: boolean;
}

const ejectCommand: CommandModule<object, EjectArgs> = {
  command: "eject [dir]",
  describe: "Copy the bundled templates into DIR (default ./templates) to customise them",
  builder: (yargs: Argv) =>
    yargs
      .positional("dir", { type: "string", describe: "Target folder", default: "templates" })
      .option("force", { type: "boolean", describe: "Overwrite template files that already exist" })
      .option("cwd", {
        type: "string",
        requiresArg: true,
        describe: "Resolve DIR (and @grpc-cfg/codegen) from this folder",
      })
      .option("quiet", {
        alias: "q",
        type: "boolean",
        default: false,
        describe: "Print only errors",
      })
      .example("$0 templates eject", "Writes ./templates/*.hbs")
      .example("$0 generate --templates templates", "Then generate with them") as Argv<EjectArgs>,
  handler: async (args) => {
    const { ejectTemplates } = await import("./templates/eject-templates.js");
    await ejectTemplates(args);
  },
};

/** `grpc-cfg templates <action>`: work with protoc-gen-grpc-cfg's Handlebars templates. */
export const templatesCommand: CommandModule<object, object> = {
  command: "templates",
  describe: "Customise the code templates of protoc-gen-grpc-cfg (eject)",
  builder: (yargs: Argv) => yargs.command(ejectCommand).demandCommand(1, "Name an action: eject"),
  handler: () => undefined,
};
