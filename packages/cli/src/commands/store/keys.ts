import type { ApiKeyRecord, ApiKeyStatus } from "@grpc-cfg/store";
import type { Argv, CommandModule } from "yargs";
import { CliError } from "../../util/cli-error.js";
import { formatTime, printJson, renderTable, write } from "./output.js";
import {
  durationFlag,
  GRACE_PERIOD,
  idArgument,
  KEY_LIFETIME,
  withStore,
  withStoreOptions,
  type StoreArgs,
} from "./store-args.js";

interface CreateArgs extends StoreArgs {
  user: string;
  name: string;
  "expires-in"?: string;
}

interface ListArgs extends StoreArgs {
  user?: string;
  status?: string;
}

interface IdArgs extends StoreArgs {
  id: string;
}

interface RotateArgs extends IdArgs {
  grace?: string;
}

const STATUSES: readonly ApiKeyStatus[] = ["active", "expired", "revoked"];

function table(keys: readonly ApiKeyRecord[]): string {
  return renderTable(
    ["id", "name", "user", "prefix", "status", "requests", "last used", "expires", "created"],
    keys.map((key) => [
      String(key.id),
      key.name,
      key.username,
      `${key.displayPrefix}…`,
      key.status,
      String(key.requestCount),
      formatTime(key.lastUsedAt),
      formatTime(key.expiresAt),
      formatTime(key.createdAt),
    ]),
  );
}

/** Prints a freshly made key: the secret once, with the warning that it will not be shown again. */
async function showSecret(
  key: string,
  record: ApiKeyRecord,
  json: boolean | undefined,
  extra: Record<string, unknown> = {},
): Promise<void> {
  if (json) return printJson({ key, ...extra, record });
  await write(table([record]));
  await write(`\nAPI key (shown once; it is not stored and cannot be recovered):\n\n  ${key}\n\n`);
  await write("Send it in the x-api-key header (or as authorization: Bearer).\n");
}

const create: CommandModule<object, CreateArgs> = {
  command: "create",
  describe: "Create an API key for a user (the key is printed once)",
  builder: (yargs) =>
    withStoreOptions(
      yargs
        .option("user", { type: "string", demandOption: true, describe: "Owner: username or id" })
        .option("name", {
          type: "string",
          demandOption: true,
          describe: "What the key is for, e.g. billing-service",
        })
        .option("expires-in", {
          type: "string",
          describe: "Lifetime, e.g. 30d, 12h, 1h30m; at most 3650d (default: never expires)",
        }),
    ),
  handler: async (argv) => {
    const lifetime = await durationFlag(argv["expires-in"], "--expires-in", KEY_LIFETIME);
    await withStore(argv, async (store) => {
      const expiresAt = lifetime === undefined ? null : new Date(Date.now() + lifetime);
      const { key, record } = await store.apiKeys.create({
        user: argv.user,
        name: argv.name,
        expiresAt,
      });
      await showSecret(key, record, argv.json);
    });
  },
};

const list: CommandModule<object, ListArgs> = {
  command: "list",
  describe: "List API keys (never the keys themselves)",
  builder: (yargs) =>
    withStoreOptions(
      yargs
        .option("user", { type: "string", describe: "Only this owner's keys (username or id)" })
        .option("status", {
          type: "string",
          choices: STATUSES,
          describe: "Only keys in this state",
        }),
    ),
  handler: (argv) =>
    withStore(argv, async (store) => {
      const keys = await store.apiKeys.list({
        ...(argv.user !== undefined ? { user: argv.user } : {}),
        ...(argv.status !== undefined ? { status: argv.status as ApiKeyStatus } : {}),
      });
      if (argv.json) return printJson(keys);
      await write(keys.length === 0 ? "no API keys\n" : table(keys));
    }),
};

const show: CommandModule<object, IdArgs> = {
  command: "show <id>",
  describe: "Show one API key",
  builder: (yargs) =>
    withStoreOptions(yargs.positional("id", { type: "string", demandOption: true })),
  handler: async (argv) => {
    const id = idArgument(argv.id, "key id");
    await withStore(argv, async (store) => {
      const key = await store.apiKeys.get(id);
      if (argv.json) return printJson(key);
      const rows: [string, string][] = [
        ["id", String(key.id)],
        ["name", key.name],
        ["user", `${key.username} (id ${key.userId})`],
        ["prefix", `${key.displayPrefix}…`],
        ["status", key.status],
        ["requests", String(key.requestCount)],
        ["last used", formatTime(key.lastUsedAt)],
        ["created", formatTime(key.createdAt)],
        ["expires", formatTime(key.expiresAt)],
        ["revoked", formatTime(key.revokedAt)],
        ["rotated from", key.rotatedFromId === null ? "-" : String(key.rotatedFromId)],
        ["grace until", formatTime(key.graceUntil)],
      ];
      await write(rows.map(([label, value]) => `${label.padEnd(13)}${value}\n`).join(""));
    });
  },
};

const revoke: CommandModule<object, IdArgs> = {
  command: "revoke <id>",
  describe: "Revoke an API key now (every server sharing the database stops accepting it)",
  builder: (yargs) =>
    withStoreOptions(yargs.positional("id", { type: "string", demandOption: true })),
  handler: async (argv) => {
    const id = idArgument(argv.id, "key id");
    await withStore(argv, async (store) => {
      const key = await store.apiKeys.revoke(id);
      if (argv.json) return printJson(key);
      await write(`revoked API key ${key.id} (${key.name}, ${key.displayPrefix}…)\n`);
    });
  },
};

const NO_GRACE = /^\s*0+(ms|s|m|h|d)?\s*$/;

const rotate: CommandModule<object, RotateArgs> = {
  command: "rotate <id>",
  describe: "Replace an API key; the old one keeps working for the grace period",
  builder: (yargs) =>
    withStoreOptions(
      yargs.positional("id", { type: "string", demandOption: true }).option("grace", {
        type: "string",
        describe: "How long the old key keeps working, e.g. 1h; at most 7d (default: 0, stops now)",
      }),
    ),
  handler: async (argv) => {
    const id = idArgument(argv.id, "key id");
    // "0s" as well as "0": the monitor's graceSeconds 0 stops the old key now, and so do these.
    const grace =
      argv.grace === undefined || NO_GRACE.test(argv.grace)
        ? 0
        : await durationFlag(argv.grace, "--grace", GRACE_PERIOD);
    const { formatDuration } = await import("@grpc-cfg/store");
    if (grace === undefined) throw new CliError("--grace needs a value", { exitCode: 2 });
    await withStore(argv, async (store) => {
      const rotated = await store.apiKeys.rotate(id, { graceSeconds: grace / 1000 });
      if (!argv.json) await write(`${graceSentence(id, grace, rotated, formatDuration)}\n\n`);
      await showSecret(rotated.key, rotated.record, argv.json, { previous: rotated.previous });
    });
  },
};

/**
 * What became of the rotated key. The store ends the grace at the key's own expiry when that
 * is sooner, so the sentence names that end instead of a grace the key will not get.
 */
function graceSentence(
  id: number,
  grace: number,
  rotated: { record: ApiKeyRecord; previous: ApiKeyRecord },
  formatDuration: (ms: number) => string,
): string {
  if (grace === 0) return `API key ${id} stopped working now.`;
  const end = rotated.previous.expiresAt;
  // The replacement inherits the old expiry: the old key ending there means it was the sooner.
  const endsAtExpiry = end !== null && end.getTime() === rotated.record.expiresAt?.getTime();
  return endsAtExpiry
    ? `API key ${id} keeps working until ${formatTime(end)} (its expiry, sooner than the ${formatDuration(grace)} grace).`
    : `API key ${id} keeps working for ${formatDuration(grace)} (until ${formatTime(end)}).`;
}

/** `grpc-cfg keys create|list|show|revoke|rotate`. */
export const keysCommand: CommandModule<object, object> = {
  command: "keys",
  describe: "Manage API keys",
  builder: (yargs: Argv) =>
    yargs
      .command(create)
      .command(list)
      .command(show)
      .command(revoke)
      .command(rotate)
      .demandCommand(1, "Name a subcommand: create, list, show, revoke or rotate."),
  handler: () => {},
};
