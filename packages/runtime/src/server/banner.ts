import type { ListenAddress, ServerDescription } from "./create-server.js";

/** What the start banner shows. */
export interface BannerInfo {
  readonly address: ListenAddress;
  readonly description: ServerDescription;
  /** Services in the manifest with no implementation. */
  readonly missing?: readonly string[];
  /** Worker processes sharing the port. */
  readonly workers?: number;
}

/** The text printed when the server starts: address, services and their method counts. */
export function startBanner(info: BannerInfo): string {
  const { address, description } = info;
  const scheme = description.mutualTls ? "grpcs (mTLS)" : description.tls ? "grpcs" : "grpc";
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  const lines = [`grpc-cfg server listening on ${host}:${address.port} (${scheme})`];
  if ((info.workers ?? 1) > 1) lines.push(`  workers: ${info.workers}`);
  const services = description.services;
  lines.push(`  ${services.length} service${services.length === 1 ? "" : "s"}:`);
  const width = Math.max(0, ...services.map((s) => s.fullName.length));
  for (const service of services) {
    const count = service.methods.length;
    const kinds = new Map<string, number>();
    for (const method of service.methods)
      kinds.set(method.callKind, (kinds.get(method.callKind) ?? 0) + 1);
    const breakdown = [...kinds].map(([kind, n]) => `${n} ${kind}`).join(", ");
    const base = service.baseKind === "base" ? "" : ` [${service.baseKind}]`;
    lines.push(
      `    ${service.fullName.padEnd(width)}  ${count} method${count === 1 ? "" : "s"} (${breakdown})${base}`,
    );
  }
  for (const name of info.missing ?? []) lines.push(`  ! ${name}: no implementation (not served)`);
  lines.push(`  also: ${description.standardServices.join(", ")}`);
  return lines.join("\n");
}
