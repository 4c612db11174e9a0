// Small Markdown helpers shared by the doc generators: escaping, tables, prettier formatting
// (so generated files pass `prettier --check .` unchanged), and writing or checking a file.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as prettier from "prettier";

/** Absolute path of the repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Escapes text for Markdown prose or a table cell. Code spans (`like this`) are kept as
 * they are, except for `|`, which GitHub tables need escaped even inside code.
 */
export function escapeText(text, { table = false } = {}) {
  return String(text)
    .split(/(`[^`]*`)/)
    .map((part, index) => {
      const escaped = index % 2 === 1 ? part : part.replace(/([\\*<])/g, "\\$1");
      return table ? escaped.replace(/\|/g, "\\|") : escaped;
    })
    .join("");
}

/** Inline code that survives backticks inside the value. */
export function code(value) {
  const text = String(value);
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A GitHub table; cells are used as given (escape them first). */
export function table(headers, rows) {
  const line = (cells) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/**
 * Turns help text written for a terminal (hard-wrapped, indented command lines) into Markdown
 * blocks: indented lines become a `sh` code block; other lines are joined into paragraphs,
 * a new one starting after a line that ends a sentence. Prose is escaped.
 */
export function helpTextBlocks(text) {
  const blocks = [];
  let prose = [];
  let codeLines = [];
  const flushProse = () => {
    if (prose.length > 0) blocks.push(escapeText(prose.join(" ")));
    prose = [];
  };
  const flushCode = () => {
    if (codeLines.length > 0) blocks.push(`\`\`\`sh\n${codeLines.join("\n")}\n\`\`\``);
    codeLines = [];
  };
  for (const line of String(text).split("\n")) {
    if (line.trim() === "") {
      flushProse();
      flushCode();
    } else if (/^\s{2,}\S/.test(line)) {
      flushProse();
      codeLines.push(line.trim());
    } else {
      flushCode();
      prose.push(line.trim());
      if (/[.:]$/.test(line.trim())) flushProse();
    }
  }
  flushProse();
  flushCode();
  return blocks;
}

/** Formats Markdown exactly as `prettier --write` does for `file` in this repository. */
export async function formatMarkdown(markdown, file) {
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(markdown, { ...options, filepath: file });
}

/** GitHub's heading anchor for plain heading text. */
export function anchor(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/**
 * Writes `content` to `file`, or with `check` only compares: returns false (and writes
 * nothing) when the file differs.
 */
export async function writeOrCheck(file, content, { check }) {
  const current = await readFile(file, "utf8").catch(() => null);
  if (check) return current === content;
  if (current !== content) await writeFile(file, content);
  return true;
}
