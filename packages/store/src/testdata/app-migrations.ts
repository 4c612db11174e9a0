/** Test helper: a drizzle-kit style migrations folder for an "app", written on the fly. */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Writes `<root>/<app>/drizzle` with the given migrations (SQL statements per migration). */
export function writeAppMigrations(
  root: string,
  app: string,
  migrations: readonly string[][],
): string {
  return writeMigrationFolder(join(root, app, "drizzle"), migrations);
}

/** Writes a drizzle-kit `out` folder at `folder` with the given migrations; returns `folder`. */
export function writeMigrationFolder(folder: string, migrations: readonly string[][]): string {
  mkdirSync(join(folder, "meta"), { recursive: true });
  const entries = migrations.map((statements, idx) => {
    const tag = `${String(idx).padStart(4, "0")}_step`;
    writeFileSync(join(folder, `${tag}.sql`), statements.join("\n--> statement-breakpoint\n"));
    return { idx, version: "7", when: 1_700_000_000_000 + idx * 1000, tag, breakpoints: true };
  });
  writeFileSync(
    join(folder, "meta", "_journal.json"),
    JSON.stringify({ version: "7", dialect: "postgresql", entries }),
  );
  return folder;
}
