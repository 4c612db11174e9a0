import type { CommandModule } from "yargs";

/**
 * Every `grpc-cfg` command, one module each. Add a command by adding its module here
 * (edit this list in place; several people add to it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs' own CommandModule default
export const commands: CommandModule<any, any>[] = [];
