import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import type { Argv } from "yargs";
import type { DynamicClientOptions } from "@grpc-cfg/client";
import { CliError } from "../../util/cli-error.js";
import { USAGE_EXIT_CODE } from "../../util/flag-values.js";
import { parseHeaders } from "./request-headers.js";

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
  maxMsgSize?: number;
}

/** grpc-js's receive limit, which --max-msg-size replaces. */
export const DEFAULT_MAX_MSG_SIZE = 4 * 1024 * 1024;

/** The largest --max-msg-size: grpc-js keeps the limit in a 32-bit integer. */
const MAX_MAX_MSG_SIZE = 2 ** 31 - 1;

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
      describe:
        "Fail after this long; needs a unit (ms, s, m, h), e.g. 500ms, 5s, 1m; at most 596h",
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
    })
    .option("max-msg-size", {
      type: "number",
      describe: `Largest response message to accept, in bytes (default ${DEFAULT_MAX_MSG_SIZE}, 4 MiB)`,
    }) as Argv<T & ConnectionArgs>;
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
  if (args.maxMsgSize !== undefined)
    options.maxReceiveMessageBytes = checkMaxMsgSize(args.maxMsgSize);
  if (wantsTls) {
    const cert = args.cert ? readPem(args.cert, "cert") : undefined;
    const key = args.key ? readPem(args.key, "key") : undefined;
    if (cert && key) checkClientCertificate(cert, key, args);
    options.tls = {
      ...(args.cacert ? { ca: readPem(args.cacert, "cacert") } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      ...(args.servername ? { serverName: args.servername } : {}),
    };
  }
  return options;
}

function checkMaxMsgSize(bytes: number): number {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > MAX_MAX_MSG_SIZE) {
    throw new CliError(
      `--max-msg-size must be a whole number of bytes from 1 to ${MAX_MAX_MSG_SIZE}, got ${bytes}`,
      {
        hint: "E.g. --max-msg-size 16777216 for 16 MiB.",
        exitCode: USAGE_EXIT_CODE,
      },
    );
  }
  return bytes;
}

/**
 * Loads the client certificate and key the way the TLS connection will, so that a key of
 * another certificate (or a file that is not PEM) is a usage error here rather than an
 * exception from inside grpc-js.
 */
function checkClientCertificate(cert: Buffer, key: Buffer, args: ConnectionArgs): void {
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const reason = (error as Error).message;
    if (/key values mismatch/i.test(reason)) {
      throw new CliError("--cert and --key do not belong together", {
        hint: `The private key in ${args.key} is not the key of the certificate in ${args.cert}.`,
        exitCode: USAGE_EXIT_CODE,
      });
    }
    throw new CliError(`cannot use --cert ${args.cert} with --key ${args.key}: ${reason}`, {
      hint: "Give a PEM certificate (-----BEGIN CERTIFICATE-----) and its PEM private key.",
      exitCode: USAGE_EXIT_CODE,
    });
  }
}

/**
 * The longest --deadline: 2147483 s, about 596.5 h (24.8 days). grpc-js servers (grpc-cfg's
 * among them) read the grpc-timeout header into a 32-bit integer of milliseconds, so a longer
 * timeout wraps around to a negative or short one and the call fails at once with
 * DEADLINE_EXCEEDED. grpc-js's client sends such deadlines in whole seconds, rounded up, so the
 * limit is the largest whole-second count below 2^31 ms.
 */
const MAX_DEADLINE_MS = 2_147_483_000;

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
    throw new CliError(
      `--deadline must be longer than 0 and at most 2147483s (about 596h), got "${text}"`,
      {
        hint:
          "gRPC servers built on grpc-js (grpc-cfg's too) take a longer timeout for one that has " +
          "already passed and fail the call at once; leave --deadline out for no deadline.",
        exitCode: USAGE_EXIT_CODE,
      },
    );
  }
  return millis;
}
