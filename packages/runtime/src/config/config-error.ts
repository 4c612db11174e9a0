/** Invalid configuration: `issues` holds one `field.path: problem` line per problem. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** One `field.path: problem` line per problem (`(config): …` for the file as a whole). */
  readonly issues: readonly string[];
  /** The config file the problems are in, or null when there is none (environment, flags). */
  readonly source: string | null;
  constructor(issues: readonly string[], source: string | null) {
    const where = source ? ` in ${source}` : "";
    super(`Invalid configuration${where}:\n${issues.map((issue) => `  - ${issue}`).join("\n")}`);
    this.issues = issues;
    this.source = source;
  }
}

/** Config fields whose values must never appear in messages or logs. */
export const SECRET_CONFIG_PATHS: ReadonlySet<string> = new Set([
  "auth.secretKey.value",
  "auth.jwt.secret",
  "database.url",
]);

// Everything under `auth` is about credentials; the names catch secrets in fields to come.
const SECRET_SECTIONS = ["auth"];
const SECRET_NAME = /password|passwd|secret|token|key|credential/i;

/**
 * True when a value found at `path` (dot path; "" for the whole config) may hold a secret:
 * a secret field, anything under `auth`, a field named like a secret, or an object that
 * contains one of those. The last matters for a value of the wrong type: `auth.jwt: "…"` is
 * the secret itself, put one level too high.
 */
export function isSecretConfigPath(path: string): boolean {
  if (path === "" || SECRET_CONFIG_PATHS.has(path)) return true;
  const segments = path.split(".");
  if (SECRET_SECTIONS.includes(segments[0] as string)) return true;
  if (segments.some((segment) => SECRET_NAME.test(segment))) return true;
  return [...SECRET_CONFIG_PATHS].some((secret) => secret.startsWith(`${path}.`));
}

/** Renders a bad value for an error message (secrets redacted, long values cut). */
export function describeValue(path: string, value: unknown): string {
  if (isSecretConfigPath(path)) return "<redacted>";
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
