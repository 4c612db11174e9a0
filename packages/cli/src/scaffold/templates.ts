import { readFile } from "node:fs/promises";
import path from "node:path";
import { cliPackageDir } from "../toolchain/node-packages.js";

/**
 * Folder of the scaffold templates shipped with @grpc-cfg/cli (`scaffold/` in the package,
 * beside `dist/`). Templates are plain files with `{{name}}` placeholders and a `.tmpl`
 * suffix, so prettier, vitest and npm's packing rules (which drop `.gitignore`) leave them be.
 */
export const SCAFFOLD_DIR = path.join(cliPackageDir, "scaffold");

/** Values for a template's `{{name}}` placeholders. */
export type TemplateValues = Readonly<Record<string, string>>;

/**
 * Replaces every `{{name}}` in `text`. A placeholder without a value is a bug in the caller,
 * not a user error, so it throws a plain Error naming it rather than writing a broken file.
 */
export function renderTemplate(text: string, values: TemplateValues, name = "template"): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${name}: no value for {{${key}}}`);
    return value;
  });
}

/** Reads `scaffold/<relativePath>` and renders it with `values`. */
export async function renderScaffoldTemplate(
  relativePath: string,
  values: TemplateValues,
): Promise<string> {
  const text = await readFile(path.join(SCAFFOLD_DIR, relativePath), "utf8");
  return renderTemplate(text, values, relativePath);
}
