import { Metadata } from "@grpc/grpc-js";

/**
 * Request metadata as plain data. Keys are case-insensitive (sent lower-case). Keys ending in
 * `-bin` carry bytes: give a Uint8Array, or a string holding base64.
 */
export type MetadataInit = Readonly<
  Record<string, string | Uint8Array | readonly (string | Uint8Array)[]>
>;

/** Response headers or trailers: every value per key, text as string and `-bin` as Buffer. */
export type MetadataRecord = Record<string, (string | Buffer)[]>;

/** Builds grpc-js Metadata from several inits; later ones add values, never replace. */
export function toGrpcMetadata(...inits: (MetadataInit | undefined)[]): Metadata {
  const metadata = new Metadata();
  for (const init of inits) {
    if (!init) continue;
    for (const [rawKey, raw] of Object.entries(init)) {
      const key = rawKey.trim().toLowerCase();
      const values: readonly (string | Uint8Array)[] = Array.isArray(raw)
        ? (raw as readonly (string | Uint8Array)[])
        : [raw as string | Uint8Array];
      for (const value of values) metadata.add(key, toMetadataValue(key, value));
    }
  }
  return metadata;
}

function toMetadataValue(key: string, value: string | Uint8Array): string | Buffer {
  if (key.endsWith("-bin")) {
    return typeof value === "string" ? Buffer.from(value, "base64") : Buffer.from(value);
  }
  if (typeof value !== "string") {
    throw new TypeError(`metadata "${key}" takes text; only keys ending in -bin take bytes`);
  }
  return value;
}

/** Copies grpc-js Metadata into plain data (undefined → empty). */
export function fromGrpcMetadata(metadata: Metadata | undefined): MetadataRecord {
  if (!metadata) return {};
  const record: MetadataRecord = {};
  for (const [key, values] of Object.entries(metadata.toJSON())) record[key] = [...values];
  return record;
}
