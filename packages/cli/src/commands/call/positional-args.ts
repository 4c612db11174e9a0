import { CliError } from "../../util/cli-error.js";
import { USAGE_EXIT_CODE } from "../../util/flag-values.js";

/**
 * True for text that can only be a server address: host:port, [v6]:port or a URL. Proto
 * names (packages, services, methods, types) never hold a ":".
 */
export function looksLikeAddress(text: string): boolean {
  return text.includes(":");
}

/**
 * True for a fully qualified proto name such as `shop.v1.UserService` or
 * `shop.v1.UserService/GetUser`: dotted identifiers ending in an upper-case part (proto style
 * for services, types and methods). DNS allows such a host name, but nobody writes one.
 */
export function looksLikeProtoName(text: string): boolean {
  return /^\.?(?:[A-Za-z_]\w*\.)+[A-Z]\w*(?:\/[A-Za-z_]\w*|\.[A-Z]\w*)?$/.test(text.trim());
}

function usageError(message: string, hint: string): CliError {
  return new CliError(message, { hint, exitCode: USAGE_EXIT_CODE });
}

/**
 * `call`'s two positionals as address and method. One positional is the method (the address
 * then comes from $GRPC_CFG_ADDRESS or the default), unless it is plainly an address: then
 * the method was left out, and calling the default address instead would reach another
 * server than the one typed.
 */
export function callTarget(
  first: string,
  second: string | undefined,
): { address: string | undefined; method: string } {
  if (second === undefined) {
    if (looksLikeAddress(first)) {
      throw usageError(
        `missing method: give pkg.Service/Method (grpc-cfg services --long ${first} lists them)`,
        `Write grpc-cfg call ${first} pkg.Service/Method.`,
      );
    }
    return { address: undefined, method: first };
  }
  if (looksLikeAddress(second) && !looksLikeAddress(first)) {
    throw usageError(
      `"${second}" is a server address and "${first}" is not: the address comes first`,
      `Write grpc-cfg call ${second} ${first}.`,
    );
  }
  return { address: first, method: second };
}

/** Refuses a proto name given where `services` expects a server address. */
export function checkServicesAddress(address: string | undefined): void {
  if (address === undefined || !looksLikeProtoName(address)) return;
  throw usageError(
    `"${address}" is a proto name, not a server address (host:port)`,
    `grpc-cfg services lists a server's services; grpc-cfg describe ${address} --addr HOST:PORT describes one.`,
  );
}

/** Refuses a server address given where `describe` expects a symbol. */
export function checkDescribeSymbol(symbol: string): void {
  if (!looksLikeAddress(symbol)) return;
  throw usageError(
    `"${symbol}" is a server address, not a service, method, message or enum`,
    `Give the address with --addr: grpc-cfg describe pkg.Service --addr ${symbol} ` +
      `(grpc-cfg services --long ${symbol} lists what it has).`,
  );
}
