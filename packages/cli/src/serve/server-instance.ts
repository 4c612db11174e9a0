import { hostname } from "node:os";
import type { ListenAddress, ResolvedConfig } from "@grpc-cfg/runtime";
import type { InstanceHandle, Store } from "@grpc-cfg/store";
import { advertisedAddress } from "./advertised-address.js";

/**
 * Registers this server's instance row (`grpc-cfg status`, the monitor's server list) and
 * starts its heartbeat. `onRegistered` hears the id at once: a `--workers` worker tells its
 * primary, which marks the row stopped should the worker die without doing so itself.
 */
export async function registerServerInstance(
  store: Store,
  config: ResolvedConfig,
  address: ListenAddress,
  services: readonly string[],
  onRegistered: ((instanceId: string) => void) | undefined,
): Promise<InstanceHandle> {
  const instance = await store.registerInstance({
    hostName: hostname(),
    address: advertisedAddress(address.host, config.instance.advertiseAddress),
    port: address.port,
    version: await ownVersion(),
    services,
    heartbeatMs: config.instance.heartbeatMs,
  });
  onRegistered?.(instance.id);
  return instance;
}

async function ownVersion(): Promise<string> {
  const { createRequire } = await import("node:module");
  const pkg = createRequire(import.meta.url)("../../package.json") as { version: string };
  return pkg.version;
}
