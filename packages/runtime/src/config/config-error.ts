/** Invalid configuration: `issues` holds one `field.path: problem` line per problem. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly issues: readonly string[];
  constructor(issues: readonly string[], source: string | null) {
    const where = source ? ` in ${source}` : "";
    super(`Invalid configuration${where}:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
    this.issues = issues;
  }
}

/** Config fields whose values must never appear in messages or logs. */
export const SECRET_CONFIG_PATHS: ReadonlySet<string> = new Set([
  "auth.secretKey.value",
  "auth.jwt.secret",
  "database.url",
]);

/** Renders a bad value for an error message (secrets redacted, long values cut). */
export function describeValue(path: string, value: unknown): string {
  if (SECRET_CONFIG_PATHS.has(path)) return "<redacted>";
  if (typeof value === "function") return "a function";
  if (value === undefined) return "nothing";
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
