import { DynamicClientError } from "./errors.js";

/** A method name split into its service and method parts. */
export interface MethodName {
  /** The service part as written: full (`shop.v1.UserService`) or short (`UserService`). */
  service: string;
  /** The method name, e.g. `GetUser`. */
  method: string;
}

/**
 * Splits `shop.v1.UserService/GetUser`, `/shop.v1.UserService/GetUser` or
 * `shop.v1.UserService.GetUser` into service and method.
 */
export function parseMethodName(input: string): MethodName {
  const text = input.trim().replace(/^\//, "");
  const slash = text.lastIndexOf("/");
  const split = slash >= 0 ? slash : text.lastIndexOf(".");
  const service = split >= 0 ? text.slice(0, split) : "";
  const method = split >= 0 ? text.slice(split + 1) : "";
  if (!service || !method || service.includes("/")) {
    throw new DynamicClientError(
      "unknown-symbol",
      `"${input}" is not a method name: write Service/Method, e.g. shop.v1.UserService/GetUser`,
    );
  }
  return { service, method };
}

/** The last dot-separated part of a full name (`UserService` for `shop.v1.UserService`). */
export function simpleName(fullName: string): string {
  return fullName.slice(fullName.lastIndexOf(".") + 1);
}

/**
 * Up to `limit` candidates close to `target`, best first: same name ignoring case, then the
 * same short name, then names containing it, then small edit distances.
 */
export function closeMatches(target: string, candidates: Iterable<string>, limit = 5): string[] {
  const wanted = target.toLowerCase();
  const wantedShort = simpleName(wanted);
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(candidates)) {
    const lower = name.toLowerCase();
    const short = simpleName(lower);
    let score: number;
    if (lower === wanted) score = 0;
    else if (short === wantedShort) score = 1;
    else if (lower.includes(wanted) || wanted.includes(short)) score = 2;
    else {
      const distance = Math.min(editDistance(wanted, lower), editDistance(wantedShort, short));
      if (distance > Math.max(2, Math.floor(wantedShort.length / 4))) continue;
      score = 3 + distance;
    }
    scored.push({ name, score });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((entry) => entry.name);
}

/** Levenshtein distance between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** " Did you mean: a, b?" or "" when there is nothing close. */
export function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length > 0 ? ` Did you mean: ${suggestions.join(", ")}?` : "";
}
