import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { Database } from "@grpc-cfg/runtime";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { migrationError } from "../errors.js";
import type { Connection, QueryListener } from "./connection.js";
import { lockDataDir } from "./pglite-lock.js";
import { ReadOnlyPglite } from "./read-only-pglite.js";

/**
 * Opens (creating on first use) the embedded PGlite database in `dataDir`. Pass
 * `dataDir: null` for a throw-away in-memory database.
 */
export async function openPglite(
  dataDir: string | null,
  onQuery: QueryListener | undefined,
): Promise<Connection> {
  let release = () => {};
  let folder: string | undefined;
  if (dataDir !== null) {
    folder = resolve(dataDir);
    mkdirSync(folder, { recursive: true });
    release = lockDataDir(folder);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(folder);
  } catch (error) {
    release();
    throw error;
  }
  const logger = onQuery
    ? { logQuery: (query: string, params: unknown[]) => onQuery(query, params) }
    : false;
  const db = drizzle({ client: pglite, logger });
  const readOnly = drizzle({ client: new ReadOnlyPglite(pglite) as unknown as PGlite, logger });
  let closed = false;
  return {
    kind: "pglite",
    target: folder ?? "memory",
    db: db as unknown as Database,
    readOnly: readOnly as unknown as Database,
    async listen(channel, onMessage, onListen) {
      const unlisten = await pglite.listen(channel, onMessage);
      onListen?.();
      return () => unlisten();
    },
    async migrate(folders) {
      // One connection, one process (the folder lock): migrations cannot interleave.
      for (const config of folders) {
        await migrate(db, config).catch((error: unknown) => {
          throw migrationError(config.migrationsFolder, folder ?? "memory", error);
        });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await pglite.close();
      } finally {
        release();
      }
    },
  };
}
