export { runCli } from "./main.js";
export { CliError } from "./util/cli-error.js";
export { startStack } from "./serve/start-stack.js";
export type { RunningStack, StackOptions } from "./serve/start-stack.js";
