import { networkInterfaces } from "node:os";
import type { NetworkInterfaceInfo } from "node:os";

const WILDCARDS = new Set(["", "0.0.0.0", "::", "[::]"]);

/**
 * The address other machines reach this instance at, as recorded in its instance row (and
 * shown by `grpc-cfg status` and the monitor). A configured address wins. A server bound to
 * a wildcard (`0.0.0.0`, `::`) — the usual setting on a real host — is recorded under the
 * host's first external IPv4 address (else IPv6), not under the wildcard, which says nothing
 * about where it runs. Any other bound host is recorded as is.
 */
export function advertisedAddress(
  boundHost: string,
  configured: string | null,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string {
  if (configured !== null && configured !== "") return configured;
  if (!WILDCARDS.has(boundHost)) return boundHost;
  const external = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((info) => !info.internal);
  const ipv4 = external.find((info) => info.family === "IPv4");
  const ipv6 = external.find((info) => info.family === "IPv6" && !info.address.startsWith("fe80"));
  return (ipv4 ?? ipv6)?.address ?? boundHost;
}
