import type { CommandModule } from "yargs";
import { DEFAULT_ADDRESS, resolveAddress, withConnectionOptions } from "./call/connection-args.js";
import type { ConnectionArgs } from "./call/connection-args.js";
import { checkDescribeSymbol } from "./call/positional-args.js";
import { runWithClient } from "./call/run-with-client.js";
import { writeLine } from "./call/response-output.js";

interface DescribeArgs extends ConnectionArgs {
  symbol: string;
  addr?: string;
  json?: boolean;
}

/** `grpc-cfg describe SYMBOL`: a service, method, message or enum, as proto-like text. */
export const describeCommand: CommandModule<object, DescribeArgs> = {
  command: "describe <symbol>",
  describe: "Describe a service, method, message or enum of a running server",
  builder: (yargs) =>
    withConnectionOptions(
      yargs
        .positional("symbol", {
          type: "string",
          demandOption: true,
          describe: "e.g. shop.v1.UserService, shop.v1.UserService/GetUser, shop.v1.User",
        })
        .option("addr", {
          alias: "address",
          type: "string",
          describe: `host:port (default $GRPC_CFG_ADDRESS or ${DEFAULT_ADDRESS})`,
        })
        .option("json", { type: "boolean", describe: "Print the structured description as JSON" })
        .epilog("Exit status: 0 ok, 1 unknown symbol or call failed, 2 bad usage."),
    ),
  handler: async (argv) => {
    checkDescribeSymbol(argv.symbol);
    const address = resolveAddress(argv.addr);
    await runWithClient(address, argv, async (client) => {
      const description = await client.describe(argv.symbol);
      await writeLine(argv.json ? JSON.stringify(description, null, 2) : description.text);
    });
  },
};
