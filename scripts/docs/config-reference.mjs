#!/usr/bin/env node
// Renders the field reference in docs/configuration.md from the runtime's own definitions:
// types, ranges and defaults from the zod schema (config-schema.ts), descriptions from the
// JSDoc of config-types.ts, environment variables from ENV_OVERRIDES (env-overrides.ts).
// Needs the runtime built (`npx tsc -b packages/runtime`).
//
//   node scripts/docs/config-reference.mjs          rewrite the generated part (npm run docs:config)
//   node scripts/docs/config-reference.mjs --check  exit 1 when docs/configuration.md is stale
//
// Only the text between the BEGIN/END markers is generated; the rest of the page is prose.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { code, escapeText, formatMarkdown, repoRoot, table, writeOrCheck } from "./markdown.mjs";
import { readInterfaceDocs } from "./interface-docs.mjs";

/** The page holding the generated reference. */
export const CONFIG_DOC = path.join(repoRoot, "docs/configuration.md");
const RUNTIME_DIST = path.join(repoRoot, "packages/runtime/dist");
const CONFIG_TYPES = path.join(repoRoot, "packages/runtime/src/config/config-types.ts");
export const BEGIN_MARKER = "<!-- BEGIN GENERATED: config-reference -->";
export const END_MARKER = "<!-- END GENERATED: config-reference -->";

/**
 * Descriptions for fields whose JSDoc in config-types.ts is missing or only states the
 * default (which has its own column). Keyed by dot path.
 */
const FALLBACK_DESCRIPTIONS = {
  "monitor.enabled": "Serve the monitor REST API and dashboard beside the gRPC server.",
  "monitor.host": "Interface the monitor's HTTP server binds.",
  "monitor.port": "Port of the monitor's HTTP server; `0` picks a free one.",
};

/** A field of the schema, flattened: one per object or leaf, in schema order. */
function walk(schema, prefix, out) {
  for (const [key, field] of Object.entries(schema._zod.def.shape)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    let node = field;
    let defaultValue;
    let optional = false;
    let hasDefault = false;
    for (;;) {
      const def = node._zod.def;
      if (def.type === "default" || def.type === "prefault") {
        hasDefault = true;
        defaultValue =
          typeof def.defaultValue === "function" ? def.defaultValue() : def.defaultValue;
      } else if (def.type === "optional") optional = true;
      else break;
      node = def.innerType;
    }
    const isObject = node._zod.def.type === "object";
    out.push({ path: dotted, node, isObject, hasDefault, defaultValue, optional });
    if (isObject) walk(node, dotted, out);
  }
  return out;
}

function range(checks) {
  let min;
  let max;
  for (const check of checks) {
    const def = check._zod.def;
    if (def.check === "greater_than") min = def.value;
    if (def.check === "less_than") max = def.value;
  }
  return { min, max };
}

const INT32_MAX = 2_147_483_647;

/** Human type of a zod node, with its constraints. */
export function describeType(node) {
  const def = node._zod.def;
  const checks = def.checks ?? [];
  switch (def.type) {
    case "boolean":
      return "boolean";
    case "number": {
      const integer = checks.some((c) => c._zod.def.format === "safeint");
      const { min, max } = range(checks);
      const base = integer ? "integer" : "number";
      if (min === undefined && max === undefined) return base;
      if (max === undefined || max === INT32_MAX) return `${base} ≥ ${min}`;
      return `${base} ${min}–${max}`;
    }
    case "string": {
      if (def.format === "url") return def.protocol?.source === "^https?$" ? "http(s) URL" : "URL";
      const pattern = checks.find((c) => c._zod.def.format === "regex")?._zod.def.pattern;
      if (pattern) return `string matching ${code(pattern.source.replace(/\\\//g, "/"))}`;
      const minimum = checks.find((c) => c._zod.def.check === "min_length")?._zod.def.minimum;
      if (minimum === undefined) return "string";
      return minimum > 1 ? `string of ≥ ${minimum} characters` : "non-empty string";
    }
    case "enum":
      return Object.values(def.entries)
        .map((value) => code(JSON.stringify(value)))
        .join(" \\| ");
    case "array": {
      const element = describeType(def.element);
      const atLeast = checks.find((c) => c._zod.def.check === "min_length")?._zod.def.minimum;
      return `array of ${element}${atLeast ? ` (at least ${atLeast})` : ""}`;
    }
    case "object":
      return "object";
    case "union":
      // An object among alternatives is shown by its keys (`?` when optional).
      return def.options
        .map((option) =>
          option._zod.def.type === "object"
            ? code(
                `{ ${Object.entries(option._zod.def.shape)
                  .map(([key, field]) => (field._zod.def.type === "optional" ? `${key}?` : key))
                  .join(", ")} }`,
              )
            : describeType(option),
        )
        .join(" or ");
    case "custom":
      return "nice-grpc `ServerMiddleware`";
    case "literal":
      return def.values.map((value) => code(JSON.stringify(value))).join(" \\| ");
    default:
      return def.type;
  }
}

function humanDuration(ms) {
  const units = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "min"],
    [1_000, "s"],
  ];
  for (const [size, unit] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  }
  return `${ms} ms`;
}

function describeDefault(field) {
  if (!field.hasDefault || field.isObject) return field.optional ? "unset" : "";
  const value = field.defaultValue;
  const shown = code(JSON.stringify(value));
  if (typeof value === "number" && value > 0) {
    if (/Ms$/.test(field.path)) return `${shown} (${humanDuration(value)})`;
    if (/Bytes$/.test(field.path) && value % 1_048_576 === 0) {
      return `${shown} (${value / 1_048_576} MiB)`;
    }
  }
  return shown;
}

/** Splits `text` at `separator` where it is not inside a code span. */
function splitOutsideCode(text, separator) {
  const parts = [];
  let current = "";
  let inCode = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "`") inCode = !inCode;
    if (!inCode && text.startsWith(separator, i)) {
      parts.push(current);
      current = "";
      i += separator.length - 1;
    } else current += text[i];
  }
  parts.push(current);
  return parts;
}

const DEFAULT_OR_ENV = /^(Default\b|env `)/;

/**
 * Drops the "Default …" and "env `X`" clauses of a JSDoc comment (they have their own
 * columns), keeping every other sentence: "Accept it. Default `false`; refused in
 * production." → "Accept it. Refused in production."
 */
export function stripDefaultsAndEnv(text) {
  const sentences = splitOutsideCode(text.trim().replace(/\.$/, ""), ". ").map((sentence) => {
    const kept = splitOutsideCode(sentence.replace(/\.$/, ""), "; ")
      .map((clause) => clause.trim())
      .filter((clause) => clause !== "" && !DEFAULT_OR_ENV.test(clause))
      .join("; ");
    return kept.charAt(0).toUpperCase() + kept.slice(1);
  });
  return sentences
    .filter((sentence) => sentence !== "")
    .map((sentence) => `${sentence}.`)
    .join(" ");
}

/** What the JSDoc states: the `Default \`x\`` value and the `env \`X\`` variable, if any. */
export function documentedDefaultAndEnv(text) {
  const value = /\bDefault:? `([^`]+)`/.exec(text)?.[1];
  const env = /\benv `([A-Z_]+)`/.exec(text)?.[1];
  return { default: value?.replace(/(\d)_(?=\d)/g, "$1"), env };
}

/** Everything the generated section needs: one row per field. */
export async function loadConfigFields() {
  const { configSchema } = await import(
    pathToFileURL(path.join(RUNTIME_DIST, "config/config-schema.js")).href
  );
  const { ENV_OVERRIDES, SECRET_CONFIG_PATHS } = await import(
    pathToFileURL(path.join(RUNTIME_DIST, "index.js")).href
  );
  const docs = await readInterfaceDocs(CONFIG_TYPES, "GrpcCfgConfig");
  const envByPath = new Map(ENV_OVERRIDES.map((o) => [o.path, o.variable]));
  return walk(configSchema, "", []).map((field) => {
    const doc = docs.get(field.path);
    const own = doc?.property ? stripDefaultsAndEnv(doc.property) : "";
    const description = own || FALLBACK_DESCRIPTIONS[field.path] || (doc?.type ?? "");
    return {
      path: field.path,
      isObject: field.isObject,
      jsDoc: doc?.property ?? "",
      schemaDefault: field.hasDefault && !field.isObject ? field.defaultValue : undefined,
      type: describeType(field.node),
      default: describeDefault(field),
      env: envByPath.get(field.path) ?? null,
      secret: SECRET_CONFIG_PATHS.has(field.path),
      description,
      // The object's interface JSDoc, shown under its heading.
      sectionDoc: field.isObject ? (doc?.type ?? "") : "",
    };
  });
}

/** The generated Markdown between the markers (not yet prettier-formatted). */
export function renderConfigSection(fields) {
  const topLevel = fields.filter((f) => !f.path.includes(".") && !f.isObject);
  const sections = fields.filter((f) => !f.path.includes(".") && f.isObject);
  const rowsOf = (list, prefix) =>
    list.map((f) => [
      code(prefix ? f.path.slice(prefix.length + 1) : f.path),
      f.type,
      f.default,
      f.env ? code(f.env) : "",
      escapeText(
        [f.description, f.secret ? "Secret: shown as `<redacted>` in config errors." : ""]
          .filter(Boolean)
          .join(" "),
        { table: true },
      ),
    ]);
  const headers = ["Field", "Type", "Default", "Env", "Description"];
  const parts = ["### Top level", table(headers, rowsOf(topLevel, ""))];
  for (const section of sections) {
    const members = fields.filter((f) => f.path.startsWith(`${section.path}.`));
    parts.push(`### ${code(section.path)}`);
    if (section.sectionDoc) parts.push(escapeText(section.sectionDoc));
    parts.push(table(headers, rowsOf(members, section.path)));
  }
  return parts.join("\n\n");
}

/** `page` with its generated section replaced, formatted as prettier would. */
export async function renderConfigPage(page, fields) {
  const begin = page.indexOf(BEGIN_MARKER);
  const end = page.indexOf(END_MARKER);
  if (begin < 0 || end < begin) {
    throw new Error(`${CONFIG_DOC} needs the markers ${BEGIN_MARKER} … ${END_MARKER}`);
  }
  const generated = renderConfigSection(fields);
  const next =
    page.slice(0, begin + BEGIN_MARKER.length) + `\n\n${generated}\n\n` + page.slice(end);
  return formatMarkdown(next, CONFIG_DOC);
}

/** The page as it should be, from the current file and the current schema. */
export async function buildConfigPage() {
  return renderConfigPage(await readFile(CONFIG_DOC, "utf8"), await loadConfigFields());
}

async function main() {
  const check = process.argv.includes("--check");
  const ok = await writeOrCheck(CONFIG_DOC, await buildConfigPage(), { check });
  const shown = path.relative(process.cwd(), CONFIG_DOC);
  if (!ok) {
    process.stderr.write(`${shown} is stale: run npm run docs:config\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(check ? `${shown} is up to date\n` : `updated ${shown}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
