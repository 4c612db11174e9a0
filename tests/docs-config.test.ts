// The field reference in docs/configuration.md is generated from the runtime's config schema,
// its JSDoc and ENV_OVERRIDES (scripts/docs/config-reference.mjs). These tests fail when the
// page is stale, and check it independently: every field of the schema (walked through zod's
// JSON Schema export, not the generator's own walk) has a row with its default and its
// environment variable. Needs packages/runtime built (npm test builds first).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  BEGIN_MARKER,
  CONFIG_DOC,
  END_MARKER,
  buildConfigPage,
  documentedDefaultAndEnv,
  loadConfigFields,
  stripDefaultsAndEnv,
} from "../scripts/docs/config-reference.mjs";
import { repoRoot } from "./cli-support/cli-project.js";

const RUNTIME_DIST = path.join(repoRoot, "packages/runtime/dist");

interface JsonSchema {
  properties?: Record<string, JsonSchema>;
  default?: unknown;
}

interface EnvOverride {
  variable: string;
  path: string;
}

let page: string;
let jsonSchema: JsonSchema;
let envOverrides: readonly EnvOverride[];

beforeAll(async () => {
  if (!existsSync(path.join(RUNTIME_DIST, "index.js"))) {
    throw new Error("packages/runtime is not built: run `npx tsc -b packages/runtime`");
  }
  page = await readFile(CONFIG_DOC, "utf8");
  const { configSchema } = (await import(
    pathToFileURL(path.join(RUNTIME_DIST, "config/config-schema.js")).href
  )) as { configSchema: z.ZodType };
  jsonSchema = z.toJSONSchema(configSchema, { unrepresentable: "any", io: "input" }) as JsonSchema;
  ({ ENV_OVERRIDES: envOverrides } = (await import(
    pathToFileURL(path.join(RUNTIME_DIST, "index.js")).href
  )) as { ENV_OVERRIDES: readonly EnvOverride[] });
});

/** Every field of the JSON Schema as [dot path, its schema]. */
function fieldsOf(schema: JsonSchema, prefix = ""): [string, JsonSchema][] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    const dotted = prefix ? `${prefix}.${key}` : key;
    return [[dotted, child] as [string, JsonSchema], ...fieldsOf(child, dotted)];
  });
}

/** The generated tables: dot path → cells (Field, Type, Default, Env, Description). */
function documentedRows(markdown: string): Map<string, string[]> {
  const generated = markdown.slice(markdown.indexOf(BEGIN_MARKER), markdown.indexOf(END_MARKER));
  const rows = new Map<string, string[]>();
  let section = "";
  for (const line of generated.split("\n")) {
    const heading = /^### `([\w.]+)`$/.exec(line);
    if (heading) section = heading[1] as string;
    else if (line.startsWith("### ")) section = "";
    const row = /^\| `([\w.]+)` +\|(.*)\|$/.exec(line);
    if (!row) continue;
    const cells = (row[2] as string).split(/(?<!\\)\|/).map((cell) => cell.trim());
    rows.set(section ? `${section}.${row[1]}` : (row[1] as string), cells);
  }
  return rows;
}

describe("docs/configuration.md", () => {
  it("has the field reference `npm run docs:config` generates from the current schema", async () => {
    const expected = await buildConfigPage();
    expect(page === expected, "docs/configuration.md is stale: run `npm run docs:config`").toBe(
      true,
    );
  });

  it("has a row for every field of the config schema, with its default", () => {
    const rows = documentedRows(page);
    const fields = fieldsOf(jsonSchema);
    expect(fields.length).toBeGreaterThan(40);
    for (const [dotted, schema] of fields) {
      const isSection = !dotted.includes(".") && schema.properties !== undefined;
      if (isSection) {
        expect(page, dotted).toContain(`### \`${dotted}\``);
        continue;
      }
      const cells = rows.get(dotted);
      expect(cells, `no row for ${dotted}`).toBeDefined();
      const isLeafWithDefault = schema.properties === undefined && schema.default !== undefined;
      if (isLeafWithDefault) {
        const [, defaultCell] = cells as string[];
        expect(defaultCell, dotted).toContain(`\`${JSON.stringify(schema.default)}\``);
      }
    }
    // …and no row for a field the schema does not have.
    expect([...rows.keys()].sort()).toEqual(
      fields
        .filter(([dotted, schema]) => dotted.includes(".") || schema.properties === undefined)
        .map(([dotted]) => dotted)
        .sort(),
    );
  });

  it("names every environment override in the row of the field it sets", () => {
    const rows = documentedRows(page);
    expect(envOverrides.length).toBeGreaterThan(5);
    for (const { variable, path: dotted } of envOverrides) {
      expect(rows.get(dotted)?.[2], `${variable} → ${dotted}`).toBe(`\`${variable}\``);
    }
  });
});

describe("config-types.ts JSDoc agrees with the schema", () => {
  it("states the schema's default and env variable wherever it states one", async () => {
    const fields = await loadConfigFields();
    const envByPath = new Map(envOverrides.map((o) => [o.path, o.variable]));
    let checked = 0;
    for (const field of fields) {
      const stated = documentedDefaultAndEnv(field.jsDoc);
      if (stated.default !== undefined && field.schemaDefault !== undefined) {
        expect(stated.default, `${field.path}: JSDoc default`).toBe(
          JSON.stringify(field.schemaDefault),
        );
        checked++;
      }
      if (stated.env !== undefined) {
        expect(envByPath.get(field.path), `${field.path}: JSDoc env`).toBe(stated.env);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe("stripDefaultsAndEnv", () => {
  it("keeps what a comment says besides its default and env variable", () => {
    expect(stripDefaultsAndEnv('Interface to bind. Default `"0.0.0.0"`; env `HOST`.')).toBe(
      "Interface to bind.",
    );
    expect(
      stripDefaultsAndEnv(
        "Accept the secret key. Default `false`; refused when NODE_ENV is `production`.",
      ),
    ).toBe("Accept the secret key. Refused when NODE_ENV is `production`.");
    expect(
      stripDefaultsAndEnv(
        "The secret (≥ 32 characters). Default: env `GRPC_CFG_SECRET_KEY`. Never logged.",
      ),
    ).toBe("The secret (≥ 32 characters). Never logged.");
    expect(stripDefaultsAndEnv("Default `true`.")).toBe("");
  });
});
