import type { DescEnum, DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";
import type { DescriptorPool } from "./descriptor-pool.js";
import { DynamicClientError } from "./errors.js";
import { closeMatches, didYouMean, parseMethodName, simpleName } from "./symbol-names.js";

/** A definition `describe` can show. */
export type DescribableDesc = DescService | DescMethod | DescMessage | DescEnum;

/**
 * Finds a method by `pkg.Service/Method`, `pkg.Service.Method` or, when the short service
 * name is unambiguous, `Service/Method`. Unknown names fail with close matches.
 */
export async function resolveMethod(pool: DescriptorPool, name: string): Promise<DescMethod> {
  const parsed = parseMethodName(name);
  const service = await resolveService(pool, parsed.service);
  const exact = service.methods.find((m) => m.name === parsed.method);
  if (exact) return exact;
  // Method names are case-sensitive on the wire, but `getUser` for `GetUser` is a clear intent.
  const folded = service.methods.filter(
    (m) => m.name.toLowerCase() === parsed.method.toLowerCase(),
  );
  if (folded.length === 1 && folded[0]) return folded[0];
  const names = service.methods.map((m) => m.name);
  const suggestions = closeMatches(parsed.method, names).map((m) => `${service.typeName}/${m}`);
  throw new DynamicClientError(
    "unknown-symbol",
    `service ${service.typeName} has no method "${parsed.method}".${didYouMean(suggestions)}` +
      ` Its methods: ${names.join(", ") || "(none)"}.`,
    { suggestions },
  );
}

/** Finds a service by full name or unambiguous short name. */
export async function resolveService(pool: DescriptorPool, name: string): Promise<DescService> {
  const fullName = name.replace(/^\./, "");
  if (await pool.loadSymbol(fullName)) {
    const service = pool.findService(fullName);
    if (service) return service;
    throw new DynamicClientError("unknown-symbol", `${fullName} is not a service`);
  }
  const listed = await pool.listServices();
  const sameShortName = listed.filter(
    (s) => simpleName(s) === fullName || s.endsWith(`.${fullName}`),
  );
  if (sameShortName.length === 1 && sameShortName[0]) {
    const service = (await pool.loadSymbol(sameShortName[0])) && pool.findService(sameShortName[0]);
    if (service) return service;
  }
  if (sameShortName.length > 1) {
    throw new DynamicClientError(
      "ambiguous-symbol",
      `"${name}" matches several services: ${sameShortName.join(", ")}; use the full name`,
      { suggestions: sameShortName },
    );
  }
  const suggestions = closeMatches(fullName, listed);
  throw new DynamicClientError(
    "unknown-symbol",
    `the server has no service "${name}".${didYouMean(suggestions)}` +
      (suggestions.length === 0 ? ` It lists: ${listed.join(", ") || "(none)"}.` : ""),
    { suggestions },
  );
}

/**
 * Finds a service, method, message or enum by full name (methods also as `Service/Method`,
 * services also by unambiguous short name). Unknown names fail with close matches.
 */
export async function resolveSymbol(
  pool: DescriptorPool,
  symbol: string,
): Promise<DescribableDesc> {
  const text = symbol.trim().replace(/^[./]/, "");
  if (text.includes("/")) return resolveMethod(pool, text);
  if (await pool.loadSymbol(text)) {
    const found = pool.registry.get(text) ?? pool.findMethod(text);
    if (found && found.kind !== "extension") return found;
  }
  const listed = await pool.listServices();
  if (listed.some((s) => simpleName(s) === text || s.endsWith(`.${text}`))) {
    return resolveService(pool, text);
  }
  const dot = text.lastIndexOf(".");
  const servicePart = text.slice(0, Math.max(dot, 0));
  if (dot > 0 && listed.some((s) => s === servicePart || s.endsWith(`.${servicePart}`))) {
    return resolveMethod(pool, text);
  }
  const suggestions = closeMatches(text, await knownNames(pool, listed));
  throw new DynamicClientError(
    "unknown-symbol",
    `the server knows no service, method, message or enum "${symbol}".${didYouMean(suggestions)}`,
    { suggestions },
  );
}

/** Every listed service, its methods and every type loaded with them (for suggestions). */
async function knownNames(pool: DescriptorPool, services: readonly string[]): Promise<string[]> {
  for (const service of services) await pool.loadSymbol(service);
  const names: string[] = [];
  for (const type of pool.registry) {
    if (type.kind === "extension") continue;
    names.push(type.typeName);
    if (type.kind === "service")
      names.push(...type.methods.map((m) => `${type.typeName}/${m.name}`));
  }
  return names;
}
