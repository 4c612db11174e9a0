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
  const suggestions = await suggestSymbols(pool, listed, text);
  throw new DynamicClientError(
    "unknown-symbol",
    `the server knows no service, method, message or enum "${symbol}".${didYouMean(suggestions)}`,
    { suggestions },
  );
}

/**
 * Close matches for an unknown symbol, from the names a caller of this server can mean, best
 * first: names under the package (or message) typed, then the listed services, their methods
 * and every message and enum their requests and responses use. Types that were loaded only
 * because a file imports them, such as descriptor.proto's behind custom options, are left
 * out: `app.v1.Nope` should not suggest `google.protobuf.FieldDescriptorProto.Type`.
 */
async function suggestSymbols(
  pool: DescriptorPool,
  services: readonly string[],
  text: string,
  limit = 5,
): Promise<string[]> {
  for (const service of services) await pool.loadSymbol(service);
  const scope = text.slice(0, Math.max(text.lastIndexOf("."), 0));
  const inScope: string[] = [];
  if (scope !== "") {
    for (const type of pool.registry) {
      if (type.kind !== "extension" && type.typeName.startsWith(`${scope}.`))
        inScope.push(type.typeName);
    }
  }
  const best = closeMatches(text, inScope, limit);
  for (const name of closeMatches(text, apiNames(pool, services), limit)) {
    if (best.length < limit && !best.includes(name)) best.push(name);
  }
  return best;
}

/** The listed services, their methods, and the messages and enums their calls use. */
function apiNames(pool: DescriptorPool, services: readonly string[]): string[] {
  const names = new Set<string>();
  const visit = (type: DescMessage | DescEnum): void => {
    if (names.has(type.typeName)) return;
    names.add(type.typeName);
    if (type.kind === "enum") return;
    for (const field of type.fields) {
      if (field.message) visit(field.message);
      if (field.enum) visit(field.enum);
    }
    for (const nested of [...type.nestedMessages, ...type.nestedEnums]) visit(nested);
  };
  for (const name of services) {
    const service = pool.findService(name);
    if (!service) continue;
    names.add(service.typeName);
    for (const method of service.methods) {
      names.add(`${service.typeName}/${method.name}`);
      visit(method.input);
      visit(method.output);
    }
  }
  return [...names];
}
