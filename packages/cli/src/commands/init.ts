import type { Argv, CommandModule } from "yargs";

/** Arguments of `grpc-cfg init`. */
export interface InitArgs {
  readonly dir: string;
  readonly name: string | undefined;
  readonly package: string | undefined;
  readonly force: boolean;
  readonly install: boolean;
}

/**
 * `grpc-cfg init [dir] [--name] [--package] [--force] [--no-install]`: scaffolds a project.
 * Loaded on every CLI start, so it only declares options; the work is imported on use.
 */
export const initCommand: CommandModule<object, InitArgs> = {
  command: "init [dir]",
  describe: "Create a new grpc-cfg project: protos, buf config, a service with its test, CI",
  builder: (yargs: Argv) =>
    yargs
      .positional("dir", {
        type: "string",
        default: ".",
        describe: "Folder to create the project in (created when missing; must be empty)",
      })
      .option("name", {
        type: "string",
        requiresArg: true,
        describe: "npm package name (default: from the folder name)",
      })
      .option("package", {
        type: "string",
        requiresArg: true,
        describe: "Proto package of the sample service, e.g. acme.v1 (default: <name>.v1)",
      })
      .option("force", {
        type: "boolean",
        default: false,
        describe: "Add the files to a non-empty folder (existing files are never overwritten)",
      })
      .option("install", {
        type: "boolean",
        default: true,
        describe: "Run npm install and grpc-cfg generate afterwards (--no-install to skip)",
      })
      .example("$0 init order-service", "New project in ./order-service")
      .example(
        "$0 init . --name @acme/orders --package acme.orders.v1",
        "Here, with explicit names",
      )
      .example("$0 init demo --no-install", "Only write the files") as Argv<InitArgs>,
  handler: async (args) => {
    const { runInit } = await import("./init/run-init.js");
    await runInit({
      dir: args.dir,
      name: args.name,
      protoPackage: args.package,
      force: args.force,
      install: args.install,
    });
  },
};
