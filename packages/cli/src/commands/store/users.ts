import type { UserRecord } from "@grpc-cfg/store";
import type { Argv, CommandModule } from "yargs";
import { CliError } from "../../util/cli-error.js";
import { formatTime, printJson, renderTable, write } from "./output.js";
import { withStore, withStoreOptions, type StoreArgs } from "./store-args.js";

interface CreateArgs extends StoreArgs {
  username: string;
  email?: string;
  staff?: boolean;
  superuser?: boolean;
}

interface ListArgs extends StoreArgs {
  all?: boolean;
}

interface PermissionArgs extends StoreArgs {
  user: string;
  permissions: string[];
}

function flags(user: UserRecord): string {
  return (
    [
      user.isSuperuser ? "superuser" : "",
      user.isStaff ? "staff" : "",
      user.isActive ? "" : "inactive",
    ]
      .filter(Boolean)
      .join(",") || "-"
  );
}

async function show(users: readonly UserRecord[], json: boolean | undefined): Promise<void> {
  if (json) return printJson(users.length === 1 ? users[0] : users);
  await write(
    renderTable(
      ["id", "username", "email", "flags", "permissions", "created"],
      users.map((user) => [
        String(user.id),
        user.username,
        user.email ?? "-",
        flags(user),
        user.permissions.join(" ") || "-",
        formatTime(user.createdAt),
      ]),
    ),
  );
}

const create: CommandModule<object, CreateArgs> = {
  command: "create <username>",
  describe: "Create a user",
  builder: (yargs) =>
    withStoreOptions(
      yargs
        .positional("username", {
          type: "string",
          demandOption: true,
          describe: "Letters, digits and _ . @ + -",
        })
        .option("email", { type: "string", describe: "Email address" })
        .option("staff", {
          type: "boolean",
          describe: "May use staff-only methods and the monitor",
        })
        .option("superuser", { type: "boolean", describe: "Passes every permission check" }),
    ),
  handler: (argv) =>
    withStore(argv, async (store) => {
      const user = await store.users.create({
        username: argv.username,
        email: argv.email ?? null,
        isStaff: argv.staff ?? false,
        isSuperuser: argv.superuser ?? false,
      });
      await show([user], argv.json);
    }),
};

const list: CommandModule<object, ListArgs> = {
  command: "list",
  describe: "List users",
  builder: (yargs) =>
    withStoreOptions(yargs.option("all", { type: "boolean", describe: "Include inactive users" })),
  handler: (argv) =>
    withStore(argv, async (store) => {
      const users = await store.users.list({ includeInactive: argv.all ?? false });
      if (argv.json) return printJson(users);
      await show(users, false);
    }),
};

function permissionCommand(verb: "grant" | "revoke"): CommandModule<object, PermissionArgs> {
  return {
    command: `${verb} <user> <permissions..>`,
    describe: verb === "grant" ? "Give a user permissions" : "Take permissions away from a user",
    builder: (yargs) =>
      withStoreOptions(
        yargs
          .positional("user", { type: "string", demandOption: true, describe: "Username or id" })
          .positional("permissions", {
            type: "string",
            array: true,
            demandOption: true,
            describe: "Codenames, e.g. orders.create_order",
          }),
      ),
    handler: (argv) =>
      withStore(argv, async (store) => {
        const codenames = argv.permissions.map(String);
        const user =
          verb === "grant"
            ? await store.users.grant(argv.user, codenames)
            : await store.users.revoke(argv.user, codenames);
        await show([user], argv.json);
      }),
  };
}

interface UpdateArgs extends StoreArgs {
  user: string;
  email?: string;
  staff?: boolean;
  superuser?: boolean;
}

const update: CommandModule<object, UpdateArgs> = {
  command: "update <user>",
  describe: "Change a user's email or flags (--no-staff, --no-superuser take them away)",
  builder: (yargs) =>
    withStoreOptions(
      yargs
        .positional("user", { type: "string", demandOption: true, describe: "Username or id" })
        .option("email", { type: "string", describe: 'New email address ("" clears it)' })
        .option("staff", {
          type: "boolean",
          describe: "May use staff-only methods and the monitor (--no-staff: may not)",
        })
        .option("superuser", {
          type: "boolean",
          describe: "Passes every permission check (--no-superuser: does not)",
        }),
    ),
  handler: (argv) => {
    if (argv.email === undefined && argv.staff === undefined && argv.superuser === undefined) {
      throw new CliError("nothing to change: give --email, --[no-]staff or --[no-]superuser", {
        exitCode: 2,
      });
    }
    return withStore(argv, async (store) => {
      const user = await store.users.update(argv.user, {
        ...(argv.email === undefined ? {} : { email: argv.email === "" ? null : argv.email }),
        ...(argv.staff === undefined ? {} : { isStaff: argv.staff }),
        ...(argv.superuser === undefined ? {} : { isSuperuser: argv.superuser }),
      });
      await show([user], argv.json);
    });
  },
};

interface ActiveArgs extends StoreArgs {
  user: string;
}

function activeCommand(verb: "activate" | "deactivate"): CommandModule<object, ActiveArgs> {
  return {
    command: `${verb} <user>`,
    describe:
      verb === "activate"
        ? "Let an inactive user call again (their keys work again)"
        : "Stop a user: their keys and tokens are refused at once, on every instance",
    builder: (yargs) =>
      withStoreOptions(
        yargs.positional("user", {
          type: "string",
          demandOption: true,
          describe: "Username or id",
        }),
      ),
    handler: (argv) =>
      withStore(argv, async (store) => {
        await show([await store.users.setActive(argv.user, verb === "activate")], argv.json);
      }),
  };
}

/** `grpc-cfg users create|list|update|grant|revoke|activate|deactivate`. */
export const usersCommand: CommandModule<object, object> = {
  command: "users",
  describe: "Manage users and their permissions",
  builder: (yargs: Argv) =>
    yargs
      .command(create)
      .command(list)
      .command(update)
      .command(permissionCommand("grant"))
      .command(permissionCommand("revoke"))
      .command(activeCommand("deactivate"))
      .command(activeCommand("activate"))
      .demandCommand(
        1,
        "Name a subcommand: create, list, update, grant, revoke, deactivate or activate.",
      ),
  handler: () => {},
};
