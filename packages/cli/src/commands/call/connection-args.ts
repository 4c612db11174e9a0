import { readFileSync } from "node:fs";
import type { Argv } from "yargs";
import type { DynamicClientOptions, MetadataInit } from "@grpc-cfg/client";
import { CliError } from "../../util/cli-error.js";
import { USAGE_EXIT_CODE } from "../../util/flag-values.js";

/** Where `services`, `describe` and `call` connect when no address is given. */
export const DEFAULT_ADDRESS = "127.0.0.1:50051";

/** Connection flags shared by `services`, `describe` and `call`. */
export interface ConnectionArgs {
  header?: string[];
  deadline?: string;
  plaintext?: boolean;
  tls?: boolean;
  cacert?: string;
  cert?: string;
  key?: string;
  servername?: string;
}

/** The address to use: the argument, else $GRPC_CFG_ADDRESS, else 127.0.0.1:50051. */
export function resolveAddress(address: string | undefined): string {
  const chosen = address?.trim() || process.env["GRPC_CFG_ADDRESS"]?.trim() || DEFAULT_ADDRESS;
  if (/\s/.test(chosen) || chosen.includes("/")) {
    throw new CliError(`"${chosen}" is not a server address`, {
      hint: "Give host:port, e.g. 127.0.0.1:50051.",
    });
  }
  return chosen;
}

/** Adds the connection flags to a command. */
export function withConnectionOptions<T>(yargs: Argv<T>): Argv<T & ConnectionArgs> {
  return yargs
    .option("header", {
      alias: "H",
      type: "string",
      array: true,
      describe: "Request metadata 'name: value' (repeatable), e.g. -H 'x-api-key: KEY'",
    })
    .option("deadline", {
      type: "string",
      describe: "Fail after this long; needs a unit (ms, s, m, h), e.g. 500ms, 5s, 1m",
    })
    .option("plaintext", { type: "boolean", describe: "Connect without TLS (the default)" })
    .option("tls", { type: "boolean", describe: "Connect with TLS (system roots unless --cacert)" })
    .option("cacert", {
      type: "string",
      describe: "PEM file of root certificates to trust (implies --tls)",
    })
    .option("cert", {
      type: "string",
      describe: "PEM client certificate for mutual TLS (with --key)",
    })
    .option("key", {
      type: "string",
      describe: "PEM client private key for mutual TLS (with --cert)",
    })
    .option("servername", {
      type: "string",
      describe: "Host name to verify the server certificate against",
    }) as Argv<T & ConnectionArgs>;
}

/** Parses `name: value` (or `name:value`) into metadata, keeping repeated names. */
export function parseHeaders(headers: readonly string[] | undefined): MetadataInit {
  const metadata: Record<string, string[]> = {};
  for (const header of headers ?? []) {
    const colon = header.indexOf(":");
    const name = colon > 0 ? header.slice(0, colon).trim().toLowerCase() : "";
    if (!/^[0-9a-z_.-]+$/.test(name)) {
      throw new CliError(`header "${header}" is not "name: value"`, {
        hint: "Write -H 'x-api-key: KEY'; names use a-z, 0-9, '-', '_' and '.'.",
        exitCode: USAGE_EXIT_CODE,
      });
    }
    (metadata[name] ??= []).push(header.slice(colon + 1).trim());
  }
  return metadata;
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new CliError(`cannot read --${flag} file ${file}: ${(error as Error).message}`);
  }
}

/** Turns the flags into client options; bad flags become CliErrors. */
export async function connectionOptions(args: ConnectionArgs): Promise<DynamicClientOptions> {
  const wantsTls = Boolean(args.tls || args.cacert || args.cert || args.key || args.servername);
  if (wantsTls && args.plaintext) {
    throw new CliError("--plaintext conflicts with --tls/--cacert/--cert/--key/--servername", {
      hint: "Drop --plaintext to use TLS, or drop the TLS flags.",
      exitCode: USAGE_EXIT_CODE,
    });
  }
  if (Boolean(args.cert) !== Boolean(args.key)) {
    throw new CliError("mutual TLS needs both --cert and --key", { exitCode: USAGE_EXIT_CODE });
  }
  const options: DynamicClientOptions = { metadata: parseHeaders(args.header) };
  if (args.deadline !== undefined) options.deadline = await parseDeadline(args.deadline);
  if (wantsTls) {
    options.tls = {
      ...(args.cacert ? { ca: readPem(args.cacert, "cacert") } : {}),
      ...(args.cert ? { cert: readPem(args.cert, "cert") } : {}),
      ...(args.key ? { key: readPem(args.key, "key") } : {}),
      ...(args.servername ? { serverName: args.servername } : {}),
    };
  }
  return options;
}

/**
 * The longest --deadline: 100 years, like the CLI's other duration flags. grpc-js throws
 * (uncaught, from inside the call) on a deadline past ~11,000 years.
 */
const MAX_DEADLINE_MS = 876_000 * 3_600_000;

async function parseDeadline(text: string): Promise<number> {
  const trimmed = text.trim();
  // The client library reads a bare number as seconds; the CLI's other duration flags
  // refuse one, and "--deadline 500" is as likely meant as milliseconds.
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    throw new CliError(`--deadline "${text}" has no unit`, {
      hint: `Write one: --deadline ${trimmed}ms, --deadline ${trimmed}s or --deadline ${trimmed}m.`,
      exitCode: USAGE_EXIT_CODE,
    });
  }
  const { parseDuration } = await import("@grpc-cfg/client");
  let millis: number | undefined;
  try {
    millis = parseDuration(trimmed);
  } catch {
    // Reported below, with the flag's name and a hint.
  }
  if (millis === undefined) {
    throw new CliError(`--deadline "${text}" is not a duration`, {
      hint: "Write a number with a unit (ms, s, m, h), e.g. --deadline 500ms, 2s or 1m30s.",
      exitCode: USAGE_EXIT_CODE,
    });
  }
  if (millis <= 0 || millis > MAX_DEADLINE_MS) {
    throw new CliError(`--deadline must be longer than 0 and at most 876000h, got "${text}"`, {
      hint: "876000h is 100 years; leave --deadline out for no deadline.",
      exitCode: USAGE_EXIT_CODE,
    });
  }
  return millis;
}
