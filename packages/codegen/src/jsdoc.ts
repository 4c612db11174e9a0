/**
 * Lines of a proto comment, ready for a JSDoc block: line breaks normalised, the single space
 * after `//` removed, surrounding blank lines dropped, and `*\/` escaped so the comment
 * cannot end the block early.
 */
export function commentLines(comment: string): string[] {
  const lines = comment
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => escapeJsDoc(line.replace(/^ /, "").trimEnd()));
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  while (lines.length > 0 && lines[0] === "") lines.shift();
  return lines;
}

/** Makes text safe inside a `/** … *\/` block. */
export function escapeJsDoc(text: string): string {
  return text.replace(/\*\//g, "*\\/");
}

/**
 * Renders a JSDoc block from lines (each without the ` * ` prefix), indented by `indent`.
 * Escapes every line (idempotent), so templates cannot end the block early either.
 * Returns "" for no lines.
 */
export function renderJsDoc(lines: readonly string[], indent: string): string {
  if (lines.length === 0) return "";
  const body = lines.map((line) =>
    line === "" ? `${indent} *` : `${indent} * ${escapeJsDoc(line)}`,
  );
  return [`${indent}/**`, ...body, `${indent} */`].join("\n");
}
