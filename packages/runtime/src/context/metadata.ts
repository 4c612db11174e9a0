import type { CallContext } from "nice-grpc-common";

/** Reads the first value of a request metadata key as text (binary `-bin` keys excluded). */
export function getMetadataValue(ctx: CallContext, key: string): string | undefined {
  const value = ctx.metadata.get(key);
  return typeof value === "string" ? value : undefined;
}

/**
 * Response metadata keys that belong to gRPC and HTTP/2, not to handlers: grpc-js sends
 * a handler's metadata after its own values, so `grpc-status` or `grpc-message` in a trailer
 * would replace the call's real status (and the request log would disagree with the client),
 * and `content-type` or `grpc-encoding` in a header would break the response's framing.
 */
export const RESERVED_RESPONSE_KEYS: ReadonlySet<string> = new Set([
  "grpc-status",
  "grpc-message",
  "grpc-status-details-bin",
  "content-type",
  "te",
  "grpc-encoding",
  "grpc-accept-encoding",
  "grpc-timeout",
]);

/** True for a key a handler may not set in response metadata (see {@link RESERVED_RESPONSE_KEYS}); pseudo-headers too. */
export function isReservedResponseKey(key: string): boolean {
  const lower = key.toLowerCase();
  return lower.startsWith(":") || RESERVED_RESPONSE_KEYS.has(lower);
}

/**
 * Throws for a reserved key (a programming mistake: the call's status comes from what the
 * handler returns or throws; error details from the `abort` helpers' options).
 */
function assertSettable(kind: "header" | "trailer", key: string): void {
  if (!isReservedResponseKey(key)) return;
  throw new Error(
    `Cannot set response ${kind} "${key}": reserved for gRPC itself. ` +
      "Return or throw to set the call's status (abort helpers take error details).",
  );
}

/**
 * Sets a response header (sent with the first response message, or on `sendHeader`).
 * Throws for keys gRPC reserves (`grpc-*` status keys, `content-type`, `te`, `:`-pseudo-headers).
 */
export function setResponseHeader(ctx: CallContext, key: string, value: string): void {
  assertSettable("header", key);
  ctx.header.set(key, value);
}

/**
 * Sets a response trailer (sent when the handler returns or throws). Throws for keys gRPC
 * reserves (`grpc-status`, `grpc-message`, `grpc-status-details-bin`, …).
 */
export function setResponseTrailer(ctx: CallContext, key: string, value: string): void {
  assertSettable("trailer", key);
  ctx.trailer.set(key, value);
}

/**
 * Extracts the IP address from a grpc-js peer string: `ipv4:1.2.3.4:5`, `ipv6:[::1]:5`,
 * `1.2.3.4:5`, `[::1]:5`, `unix:/path`. Returns null when there is no address.
 */
export function parsePeerAddress(peer: string): string | null {
  let rest = peer.trim();
  if (rest === "" || rest === "unknown") return null;
  if (rest.startsWith("unix:")) return rest;
  rest = rest.replace(/^ipv[46]:/, "");
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(rest);
  if (bracketed) return bracketed[1] ?? null;
  // One colon: host:port. More than one: a bare IPv6 address without port.
  const colons = rest.split(":").length - 1;
  if (colons === 1) return rest.slice(0, rest.lastIndexOf(":"));
  return rest;
}

function normaliseIp(ip: string): string {
  // IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is the same client as `1.2.3.4`.
  return ip.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");
}

/**
 * The client's address. Starts from the socket peer; when that peer is a trusted proxy, walks
 * `x-forwarded-for` from the right, skipping trusted proxies, and returns the first untrusted
 * hop (the rightmost address a trusted party vouches for). Untrusted peers' headers are
 * ignored, because anyone can send `x-forwarded-for`.
 */
export function resolveClientAddress(
  ctx: ClientAddressSource,
  trustedProxies: readonly string[],
): string | null {
  return createClientAddressResolver(trustedProxies)(ctx);
}

/**
 * What the client address is read from: a call context, or a call grpc-js answered before
 * any handler ran (its peer and request headers).
 */
export interface ClientAddressSource {
  /** grpc-js's peer string, e.g. `ipv4:1.2.3.4:5`. */
  readonly peer: string;
  readonly metadata: { get(key: string): unknown };
}

/** Resolves the client address of a call; see {@link createClientAddressResolver}. */
export type ClientAddressResolver = (ctx: ClientAddressSource) => string | null;

// Peer strings are per connection (address and port), so a busy server sees few of them;
// the bound only protects memory against a flood of short-lived connections.
const MAX_CACHED_PEERS = 1024;

/**
 * {@link resolveClientAddress} for one server: the trusted set is built once, and peer
 * strings are parsed once per connection instead of once per call.
 */
export function createClientAddressResolver(
  trustedProxies: readonly string[],
): ClientAddressResolver {
  const trusted = new Set(trustedProxies.map(normaliseIp));
  const parsed = new Map<string, string | null>();
  const peerAddress = (peer: string): string | null => {
    let address = parsed.get(peer);
    if (address === undefined) {
      address = parsePeerAddress(peer);
      if (parsed.size >= MAX_CACHED_PEERS) parsed.clear();
      parsed.set(peer, address);
    }
    return address;
  };
  return (ctx) => {
    const peer = peerAddress(ctx.peer);
    if (peer === null || trusted.size === 0) return peer;
    if (!trusted.has(normaliseIp(peer))) return peer;
    const header = ctx.metadata.get("x-forwarded-for");
    if (typeof header !== "string") return peer;
    const hops = header
      .split(",")
      .map((hop) => hop.trim())
      .filter((hop) => hop !== "");
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i] as string;
      if (!trusted.has(normaliseIp(hop))) return hop;
    }
    return hops[0] ?? peer;
  };
}
