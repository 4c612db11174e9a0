import { Client, credentials } from "@grpc/grpc-js";
import type { ChannelCredentials, ChannelOptions } from "@grpc/grpc-js";

/** TLS settings; `true` means TLS with the system's root certificates. */
export type TlsOptions =
  | boolean
  | {
      /** PEM root certificates to trust instead of the system ones. */
      ca?: Uint8Array | string;
      /** PEM client certificate chain for mutual TLS (needs `key`). */
      cert?: Uint8Array | string;
      /** PEM private key for mutual TLS (needs `cert`). */
      key?: Uint8Array | string;
      /** Host name to verify the server certificate against, if not the address's. */
      serverName?: string;
    };

function pem(value: Uint8Array | string | undefined): Buffer | null {
  if (value === undefined) return null;
  return typeof value === "string" ? Buffer.from(value) : Buffer.from(value);
}

/** Channel settings besides TLS. */
export interface ConnectionSettings {
  /** Largest message the client accepts, in bytes; grpc-js's default (4 MiB) when absent. */
  maxReceiveMessageBytes?: number;
}

/** Opens a grpc-js client for `address`, plaintext unless `tls` is set. */
export function openConnection(
  address: string,
  tls: TlsOptions | undefined,
  settings: ConnectionSettings = {},
): Client {
  let channelCredentials: ChannelCredentials = credentials.createInsecure();
  const channelOptions: ChannelOptions = {};
  if (settings.maxReceiveMessageBytes !== undefined) {
    channelOptions["grpc.max_receive_message_length"] = settings.maxReceiveMessageBytes;
  }
  if (tls) {
    const settings = tls === true ? {} : tls;
    if (Boolean(settings.cert) !== Boolean(settings.key)) {
      throw new TypeError("TLS client authentication needs both `cert` and `key`");
    }
    channelCredentials = credentials.createSsl(
      pem(settings.ca),
      pem(settings.key),
      pem(settings.cert),
    );
    if (settings.serverName) channelOptions["grpc.ssl_target_name_override"] = settings.serverName;
  }
  return new Client(address, channelCredentials, channelOptions);
}

/** grpc-js deadline from milliseconds-from-now or an absolute Date. */
export function toDeadline(deadline: number | Date): Date {
  return deadline instanceof Date ? deadline : new Date(Date.now() + deadline);
}
