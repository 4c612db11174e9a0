export { runCli } from "./main.js";
export { CliError } from "./util/cli-error.js";
