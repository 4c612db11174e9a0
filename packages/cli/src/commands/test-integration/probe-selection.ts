import path from "node:path";
import type { JsonValue } from "@grpc-cfg/client";
import type { ServiceDescription } from "@grpc-cfg/runtime";
import { CliError } from "../../util/cli-error.js";

/** A JSON object to send as the probe's request. */
export type ProbeRequest = { [field: string]: JsonValue };

/** The method test-integration calls, and why that one. */
export interface Probe {
  /** gRPC path, e.g. `/shop.v1.OrderService/GetOrder`. */
  readonly path: string;
  /** `shop.v1.OrderService/GetOrder`, for the report. */
  readonly name: string;
  /** Effective auth of the method as the server describes it: public, optional, required, … */
  readonly auth: string;
  readonly request: ProbeRequest;
  /**
   * True when the user named the method (`--probe`): then only OK counts as success. An
   * automatically chosen method is called with `{}`, which its handler may reject.
   */
  readonly configured: boolean;
  /** One line on how it was chosen. */
  readonly reason: string;
}

/** What the user asked for. */
export interface ProbeChoice {
  /** Only services implemented under this folder (absolute). */
  readonly appDir?: string;
  /** `pkg.Service/Method` (or `pkg.Service.Method`) from `--probe`. */
  readonly probe?: string;
  /** The request for `probe` (see {@link parseProbeRequest}); default `{}`. */
  readonly request?: ProbeRequest;
}

// `{}` is sent to a method nobody chose: never pick one whose name says it changes things.
const MUTATING =
  /^(Create|Update|Delete|Remove|Set|Put|Patch|Cancel|Batch|Add|Insert|Upsert|Reset|Purge|Drop|Send|Submit|Import|Sync|Start|Stop|Restart|Close|Move|Rename|Approve|Reject|Grant|Revoke|Rotate|Write|Clear|Destroy|Archive|Restore|Run|Execute|Trigger|Register|Unregister|Enable|Disable|Assign|Transfer|Charge|Pay|Refund)/;
const READ_LIKE =
  /^(Get|List|Search|Find|Describe|Lookup|Read|Fetch|Count|Check|Show|Query|Ping|Health|Status|Version|Info|Echo|Stat)/;
/** Auth values a plain temporary user can satisfy (no staff, superuser or permission). */
const PLAIN_AUTH: Readonly<Record<string, number>> = { required: 30, optional: 20, public: 10 };

/** The served services under `appDir` (all when undefined). Files are absolute paths. */
export function servicesOfApp(
  services: readonly ServiceDescription[],
  appDir: string | undefined,
): ServiceDescription[] {
  if (appDir === undefined) return [...services];
  const prefix = appDir.endsWith(path.sep) ? appDir : appDir + path.sep;
  return services.filter((service) => path.resolve(service.file).startsWith(prefix));
}

/**
 * Picks the probe: the configured one when given (it must be a served unary method), else the
 * best unary method a plain authenticated user may call with `{}` — auth required first (so
 * the key matters), then optional, then public; read-only and read-like names (Get…, List…)
 * preferred; names that sound like writes (Create…, Delete…) never chosen.
 */
export function chooseProbe(services: readonly ServiceDescription[], choice: ProbeChoice): Probe {
  const scoped = servicesOfApp(services, choice.appDir);
  if (scoped.length === 0) {
    throw new CliError(`no served service is implemented under ${choice.appDir ?? "the apps"}`, {
      hint: "check --app and the app folders in grpc-cfg.config.ts",
    });
  }
  if (choice.probe !== undefined) {
    return configuredProbe(scoped, choice.probe, choice.request ?? {});
  }
  const ranked = scoped
    .flatMap((service) => service.methods.map((method) => ({ service, method })))
    .filter(({ method }) => method.callKind === "unary" && method.auth in PLAIN_AUTH)
    .filter(({ method }) => !MUTATING.test(method.name))
    .map((entry, order) => ({ ...entry, order, score: score(entry.method) }))
    .sort((a, b) => b.score - a.score || a.order - b.order);
  const best = ranked[0];
  if (!best) {
    throw new CliError(
      "no unary method a plain user can safely call with {} (methods that sound like writes, streams and staff-only methods are left out)",
      { hint: 'name one: --probe pkg.Service/Method --request \'{"field": "value"}\'' },
    );
  }
  const { service, method } = best;
  return {
    path: method.path,
    name: `${service.fullName}/${method.name}`,
    auth: method.auth,
    request: {},
    configured: false,
    reason: `auth ${method.auth}${method.readOnly ? ", read-only" : ""}; chosen from the method tables, called with {}`,
  };
}

function score(method: ServiceDescription["methods"][number]): number {
  return (
    (PLAIN_AUTH[method.auth] ?? 0) +
    (method.readOnly ? 5 : 0) +
    (READ_LIKE.test(method.name) ? 5 : 0)
  );
}

function configuredProbe(
  services: readonly ServiceDescription[],
  probe: string,
  request: ProbeRequest,
): Probe {
  const wanted = normalise(probe);
  const all = services.flatMap((service) =>
    service.methods.map((method) => ({
      service,
      method,
      name: `${service.fullName}/${method.name}`,
    })),
  );
  const found = all.find((entry) => entry.name === wanted);
  if (!found) {
    const unary = all.filter((entry) => entry.method.callKind === "unary").map((e) => e.name);
    throw new CliError(`--probe ${probe}: no such method is served`, {
      hint: `unary methods served: ${unary.join(", ") || "(none)"}`,
    });
  }
  if (found.method.callKind !== "unary") {
    throw new CliError(
      `--probe ${probe} is a ${found.method.callKind} method; test-integration calls unary methods`,
      { hint: "name a unary method" },
    );
  }
  return {
    path: found.method.path,
    name: found.name,
    auth: found.method.auth,
    request,
    configured: true,
    reason: `auth ${found.method.auth}; named by --probe`,
  };
}

/** `pkg.Svc/Method`, `/pkg.Svc/Method` or `pkg.Svc.Method` → `pkg.Svc/Method`. */
function normalise(name: string): string {
  const trimmed = name.trim().replace(/^\//, "");
  if (trimmed.includes("/")) return trimmed;
  const dot = trimmed.lastIndexOf(".");
  return dot > 0 ? `${trimmed.slice(0, dot)}/${trimmed.slice(dot + 1)}` : trimmed;
}

/**
 * Checks `--probe`/`--request` before anything starts: the request must be a JSON object and
 * needs a probe to go with it. Throws a usage {@link CliError} (exit 2).
 */
export function parseProbeRequest(
  probe: string | undefined,
  text: string | undefined,
): ProbeRequest | undefined {
  if (text === undefined) return undefined;
  if (probe === undefined) {
    throw new CliError("--request needs --probe: it is the request of the method you name", {
      hint: "add --probe pkg.Service/Method",
      exitCode: 2,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--request is not valid JSON: ${(error as Error).message}`, {
      hint: `give a JSON object, e.g. --request '{"user_id": "1"}'`,
      exitCode: 2,
    });
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new CliError("--request must be a JSON object", { exitCode: 2 });
  }
  return parsed as ProbeRequest;
}
