/** One environment variable that overrides a config field. */
export interface EnvOverride {
  readonly variable: string;
  /** Dot path of the config field. */
  readonly path: string;
  readonly kind: "string" | "integer" | "boolean";
}

/** Every environment override, applied over the config file and under CLI overrides. */
export const ENV_OVERRIDES: readonly EnvOverride[] = [
  { variable: "HOST", path: "server.host", kind: "string" },
  { variable: "PORT", path: "server.port", kind: "integer" },
  { variable: "GRPC_CFG_WORKERS", path: "server.workers", kind: "integer" },
  { variable: "DATABASE_URL", path: "database.url", kind: "string" },
  { variable: "GRPC_CFG_DATA_DIR", path: "database.dataDir", kind: "string" },
  { variable: "GRPC_CFG_SECRET_KEY", path: "auth.secretKey.value", kind: "string" },
  { variable: "MONITOR_HOST", path: "monitor.host", kind: "string" },
  { variable: "MONITOR_PORT", path: "monitor.port", kind: "integer" },
  { variable: "GRPC_CFG_LOG_LEVEL", path: "logging.level", kind: "string" },
  { variable: "GRPC_CFG_STRICT_DISCOVERY", path: "strictDiscovery", kind: "boolean" },
  { variable: "GRPC_CFG_ADVERTISE_ADDRESS", path: "instance.advertiseAddress", kind: "string" },
];

// Non-numeric text is kept as text so validation reports it as given ("got \"abc\"").
function convert(raw: string, kind: EnvOverride["kind"]): unknown {
  const text = raw.trim();
  if (kind === "integer") return /^-?\d+$/.test(text) ? Number(text) : text;
  if (kind === "boolean") {
    if (/^(1|true|yes|on)$/i.test(text)) return true;
    if (/^(0|false|no|off)$/i.test(text)) return false;
    return text;
  }
  return raw;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    const child = node[key];
    node[key] = child !== null && typeof child === "object" ? { ...child } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

/**
 * Returns a copy of `config` with the environment's overrides applied, and which variable
 * set each path (so validation messages can say "(from PORT)"). Empty variables are ignored.
 */
export function applyEnvOverrides(
  config: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
): { config: Record<string, unknown>; sources: Map<string, string> } {
  const result: Record<string, unknown> = { ...config };
  const sources = new Map<string, string>();
  for (const override of ENV_OVERRIDES) {
    const raw = env[override.variable];
    if (raw === undefined || raw.trim() === "") continue;
    setPath(result, override.path, convert(raw, override.kind));
    sources.set(override.path, override.variable);
  }
  return { config: result, sources };
}
