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

/** What grpc-js (and HTTP/2) allow in a text value: printable ASCII. */
const TEXT_VALUE = /^[ -~]*$/;

/** Standard or URL-safe base64, padded or not. */
const BASE64_VALUE = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

function toMetadataValue(key: string, value: string | Uint8Array): string | Buffer {
  if (key.endsWith("-bin")) {
    if (typeof value !== "string") return Buffer.from(value);
    // Buffer.from(…, "base64") skips what it cannot read, which would send other bytes.
    if (!BASE64_VALUE.test(value)) {
      throw new TypeError(
        `metadata "${key}": the value is not base64 (keys ending in -bin carry bytes)`,
      );
    }
    return Buffer.from(value, "base64");
  }
  if (typeof value !== "string") {
    throw new TypeError(`metadata "${key}" takes text; only keys ending in -bin take bytes`);
  }
  // grpc-js's own error names the value but not the key, and fails inside the call.
  if (!TEXT_VALUE.test(value)) {
    throw new TypeError(
      `metadata "${key}": text values must be printable ASCII; use a key ending in -bin for bytes`,
    );
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
