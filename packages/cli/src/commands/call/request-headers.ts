import type { MetadataInit } from "@grpc-cfg/client";
import { CliError } from "../../util/cli-error.js";
import { USAGE_EXIT_CODE } from "../../util/flag-values.js";

/**
 * Headers grpc-js sets itself: a value given with -H is dropped or overwritten, so the CLI
 * leaves it out and says what to do instead.
 */
const CLIENT_OWNED_HEADERS: Readonly<Record<string, string>> = {
  "grpc-timeout": "use --deadline to set the call's deadline",
  "user-agent": "grpc-js sends its own (grpc-node-js/…); use another header, e.g. x-user-agent",
  te: "grpc-js always sends te: trailers",
  "content-type": "grpc-js always sends content-type: application/grpc",
  "grpc-encoding": "grpc-cfg call sends requests uncompressed",
  "grpc-accept-encoding": "grpc-js says itself which response encodings it takes",
};

/** Text header values: printable ASCII, as HTTP/2 and grpc-js require. */
const TEXT_VALUE = /^[ -~]*$/;

/** Standard or URL-safe base64, padded or not (gRPC accepts both for -bin values). */
const BASE64_VALUE = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/**
 * Parses `name: value` (or `name:value`) into metadata, keeping repeated names. Values a
 * header cannot carry are usage errors naming the header; headers grpc-js would drop or
 * overwrite get a warning on stderr and are left out.
 */
export function parseHeaders(headers: readonly string[] | undefined): MetadataInit {
  const metadata: Record<string, string[]> = {};
  for (const header of headers ?? []) {
    // A pseudo-header (":authority: x") starts with the separator itself.
    const colon = header.indexOf(":", header.startsWith(":") ? 1 : 0);
    const name = colon > 0 ? header.slice(0, colon).trim().toLowerCase() : "";
    const value = header.slice(colon + 1).trim();
    if (name.startsWith(":") && /^:[a-z]+$/.test(name)) {
      warnNotSent(name, "HTTP/2 pseudo-headers come from the address and the method");
      continue;
    }
    if (!/^[0-9a-z_.-]+$/.test(name)) {
      throw new CliError(`header "${header}" is not "name: value"`, {
        hint: "Write -H 'x-api-key: KEY'; names use a-z, 0-9, '-', '_' and '.'.",
        exitCode: USAGE_EXIT_CODE,
      });
    }
    const owned = CLIENT_OWNED_HEADERS[name];
    if (owned !== undefined) {
      warnNotSent(name, owned);
      continue;
    }
    checkHeaderValue(name, value);
    (metadata[name] ??= []).push(value);
  }
  return metadata;
}

function warnNotSent(name: string, instead: string): void {
  process.stderr.write(`warning: -H ${name} is not sent: ${instead}\n`);
}

function checkHeaderValue(name: string, value: string): void {
  if (name.endsWith("-bin")) {
    if (!BASE64_VALUE.test(value)) {
      throw new CliError(`header ${name}: the value is not base64`, {
        hint: "A header whose name ends in -bin carries bytes, written as base64 (e.g. -H 'x-b-bin: AAEC').",
        exitCode: USAGE_EXIT_CODE,
      });
    }
    return;
  }
  if (!TEXT_VALUE.test(value)) {
    const bad = [...value].find((char) => !TEXT_VALUE.test(char)) ?? "";
    throw new CliError(
      `header ${name}: the value holds ${JSON.stringify(bad)}, which a header value cannot carry`,
      {
        hint: "Header values are printable ASCII; for other text or bytes use a name ending in -bin with a base64 value.",
        exitCode: USAGE_EXIT_CODE,
      },
    );
  }
}
