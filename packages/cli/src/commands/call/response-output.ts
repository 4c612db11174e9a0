import { once } from "node:events";
import type { JsonValue, MetadataRecord } from "@grpc-cfg/client";

/** Writes one line to stdout, waiting when the pipe is full (long streams). */
export async function writeLine(text: string): Promise<void> {
  if (!process.stdout.write(`${text}\n`)) await once(process.stdout, "drain");
}

/** A response as pretty JSON, or one line with `compact`. */
export function formatJson(value: JsonValue, compact: boolean): string {
  return compact ? JSON.stringify(value) : JSON.stringify(value, null, 2);
}

/** Prints response headers or trailers to stderr (for --verbose), binary values as base64. */
export function printMetadata(title: string, metadata: MetadataRecord): void {
  const entries = Object.entries(metadata);
  process.stderr.write(`${title}:${entries.length === 0 ? " (none)" : ""}\n`);
  for (const [key, values] of entries) {
    for (const value of values) {
      const text = typeof value === "string" ? value : value.toString("base64");
      process.stderr.write(`  ${key}: ${text}\n`);
    }
  }
}
