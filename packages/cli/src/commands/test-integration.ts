import path from "node:path";
import type { Argv, CommandModule } from "yargs";

/** Flags of `grpc-cfg test-integration`. */
interface TestIntegrationArgs {
  readonly app?: string;
  readonly quiet?: boolean;
  readonly probe?: string;
  readonly request?: string;
  readonly cwd?: string;
}

/** Environment fallbacks for `--probe` / `--request` (the config schema has no field for them). */
const PROBE_ENV = "GRPC_CFG_TEST_PROBE";
const REQUEST_ENV = "GRPC_CFG_TEST_REQUEST";

const EPILOG = `Steps: config → generate → start server (127.0.0.1, free port, monitor off,
the configured database) → choose method → temporary user + key → call with the key,
without a key, with the dev secret key (only when auth.secretKey is enabled) and with an
invalid key → request log rows checked (one per call, user and key attribution) → key
usage count checked → cleanup (key revoked and deleted, user deleted, the server's log
rows and instance row deleted, server stopped). Cleanup runs even when a step fails.

The method: --probe (or $${PROBE_ENV}) with --request JSON
(or $${REQUEST_ENV}); such a call must return OK. Otherwise a unary
method a plain user may call is chosen from the method tables (auth required first,
read-like names preferred, names like Create…/Delete… never) and called with
{}: INVALID_ARGUMENT or NOT_FOUND then count as "reached the handler", since {} is rarely
a valid request.

Exit status: 0 every step passed, 1 a step failed (the summary names it), 2 bad usage.`;

/** `grpc-cfg test-integration`: the project end to end against its own database, then cleaned up. */
export const testIntegrationCommand: CommandModule<object, TestIntegrationArgs> = {
  command: "test-integration",
  describe:
    "Check the project end to end: generate, start, call with/without keys, verify logs, clean up",
  builder: (yargs: Argv) =>
    yargs
      .option("app", {
        type: "string",
        requiresArg: true,
        describe: "Only the services of this app folder (a name or path from `apps`)",
      })
      .option("probe", {
        type: "string",
        requiresArg: true,
        describe: `Method to call, pkg.Service/Method (default: chosen; env ${PROBE_ENV})`,
      })
      .option("request", {
        type: "string",
        requiresArg: true,
        describe: `Request JSON for --probe (default {}; env ${REQUEST_ENV})`,
      })
      .option("cwd", {
        type: "string",
        requiresArg: true,
        describe: "Project folder (default: the working folder)",
      })
      .option("quiet", {
        alias: "q",
        type: "boolean",
        describe: "Print only failures and the summary line",
      })
      .example("$0 test-integration", "the whole check on the project in this folder")
      .example("$0 test-integration --app users", "only the services under the users app")
      .example(
        `$0 test-integration --probe shop.v1.UserService/GetUser --request '{"userId": "1"}'`,
        "call this method, which must return OK",
      )
      .epilog(EPILOG) as Argv<TestIntegrationArgs>,
  handler: async (argv) => {
    const { parseProbeRequest } = await import("./test-integration/probe-selection.js");
    const { runTestIntegration } = await import("./test-integration/run-test-integration.js");
    const probe = argv.probe ?? nonEmpty(process.env[PROBE_ENV]);
    const request = parseProbeRequest(probe, argv.request ?? nonEmpty(process.env[REQUEST_ENV]));
    process.exitCode = await runTestIntegration({
      cwd: path.resolve(argv.cwd ?? process.cwd()),
      ...(argv.app === undefined ? {} : { app: argv.app }),
      ...(argv.quiet === undefined ? {} : { quiet: argv.quiet }),
      ...(probe === undefined ? {} : { probe }),
      ...(request === undefined ? {} : { request }),
    });
  },
};

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
