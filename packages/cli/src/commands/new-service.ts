import type { Argv, CommandModule } from "yargs";
import { SERVICE_BASES, type ServiceBase } from "./new-service/service-bases.js";

/** Arguments of `grpc-cfg new service`. */
export interface NewServiceArgs {
  readonly name: string;
  readonly package: string | undefined;
  readonly base: ServiceBase;
  readonly app: string | undefined;
  readonly cwd: string | undefined;
}

/** `grpc-cfg new service NAME [--package pkg.v1] [--base base|read-only|auth-required]`. */
const newServiceCommand: CommandModule<object, NewServiceArgs> = {
  command: "service <name>",
  describe: "Add a service: a .proto with a sample rpc and an implementation stub",
  builder: (yargs: Argv) =>
    yargs
      .positional("name", {
        type: "string",
        demandOption: true,
        describe:
          "Service name in PascalCase, e.g. InventoryService (Service is appended if missing)",
      })
      .option("package", {
        type: "string",
        requiresArg: true,
        describe: "Proto package, e.g. acme.v1 (default: the one the project's protos use)",
      })
      .option("base", {
        choices: SERVICE_BASES,
        default: "base" as ServiceBase,
        describe: "Runtime base class: base (per-rpc auth), read-only (no writes), auth-required",
      })
      .option("app", {
        type: "string",
        requiresArg: true,
        describe: "Folder of the implementation (default: src/<service name in kebab-case>)",
      })
      .option("cwd", {
        type: "string",
        describe: "Run in this project folder (buf.yaml is looked for here and above)",
      })
      .example(
        "$0 new service InventoryService",
        "proto/<pkg>/inventory.proto + src/inventory/grpc-services.ts",
      )
      .example(
        "$0 new service Catalog --base read-only --package shop.v1",
        "A read-only service in shop.v1",
      ) as Argv<NewServiceArgs>,
  handler: async (args) => {
    const { runNewService } = await import("./new-service/run-new-service.js");
    await runNewService({
      cwd: args.cwd ?? process.cwd(),
      name: args.name,
      protoPackage: args.package,
      base: args.base,
      app: args.app,
    });
  },
};

/** `grpc-cfg new <what>`: scaffolds a part of an existing project (today: a service). */
export const newCommand: CommandModule = {
  command: "new",
  describe: "Add to the project: grpc-cfg new service NAME",
  builder: (yargs: Argv) =>
    yargs
      .command(newServiceCommand)
      .demandCommand(1, "Say what to create: grpc-cfg new service NAME"),
  handler: () => {},
};
