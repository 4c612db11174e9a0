import type { CommandModule } from "yargs";
import { DEFAULT_ADDRESS, resolveAddress, withConnectionOptions } from "./call/connection-args.js";
import type { ConnectionArgs } from "./call/connection-args.js";
import { checkServicesAddress } from "./call/positional-args.js";
import { runWithClient } from "./call/run-with-client.js";
import { writeLine } from "./call/response-output.js";

interface ServicesArgs extends ConnectionArgs {
  address?: string;
  long?: boolean;
  json?: boolean;
}

/** Words for call kinds in listings. */
export const CALL_KIND_LABELS: Readonly<Record<string, string>> = {
  unary: "unary",
  server_streaming: "server stream",
  client_streaming: "client stream",
  bidi_streaming: "bidi stream",
};

/** `grpc-cfg services [address]`: what a running server offers, via reflection. */
export const servicesCommand: CommandModule<object, ServicesArgs> = {
  command: "services [address]",
  describe: "List a running server's services through reflection",
  builder: (yargs) =>
    withConnectionOptions(
      yargs
        .positional("address", {
          type: "string",
          describe: `host:port (default $GRPC_CFG_ADDRESS or ${DEFAULT_ADDRESS})`,
        })
        .option("long", {
          alias: "l",
          type: "boolean",
          describe: "Also list methods and call kinds",
        })
        .option("json", { type: "boolean", describe: "Print JSON instead of text" })
        .epilog("Exit status: 0 ok, 1 call or connection failed, 2 bad usage."),
    ),
  handler: async (argv) => {
    checkServicesAddress(argv.address);
    const address = resolveAddress(argv.address);
    await runWithClient(address, argv, async (client) => {
      const services = await client.listServices({ methods: Boolean(argv.long) });
      if (argv.json) return writeLine(JSON.stringify(services, null, 2));
      for (const service of services) {
        await writeLine(service.name);
        const methods = service.methods ?? [];
        const width = Math.max(0, ...methods.map((method) => method.name.length));
        for (const method of methods) {
          await writeLine(`  ${method.name.padEnd(width)}  ${CALL_KIND_LABELS[method.callKind]}`);
        }
      }
    });
  },
};
