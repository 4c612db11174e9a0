import type { FieldViolation } from "../shared/field-violation.js";
import { parsePriceToCents } from "../shared/money.js";
import type { SearchProductsRequest } from "../gen/shop/v1/catalog.js";
import { MAX_SEARCH_RESULTS } from "./product-queries.js";
import type { ProductFilters } from "./product-queries.js";

/** Longest search text accepted; longer text is a client bug, not a search. */
export const MAX_QUERY_LENGTH = 200;

/** Either validated filters or the list of fields that are wrong. */
export type ParsedFilters =
  | { readonly ok: true; readonly filters: ProductFilters }
  | { readonly ok: false; readonly violations: FieldViolation[] };

function parseOptionalPrice(
  field: string,
  text: string | undefined,
  violations: FieldViolation[],
): number | null {
  if (text === undefined || text.trim() === "") return null;
  const cents = parsePriceToCents(text);
  if (cents === null) {
    violations.push({
      field,
      description: `"${text.slice(0, 40)}" is not a price like "19.99"`,
    });
  }
  return cents;
}

/** Validates a SearchProducts request and turns it into query filters. */
export function parseSearchRequest(request: SearchProductsRequest): ParsedFilters {
  const violations: FieldViolation[] = [];
  const minPriceCents = parseOptionalPrice("min_price", request.minPrice, violations);
  const maxPriceCents = parseOptionalPrice("max_price", request.maxPrice, violations);
  if (minPriceCents !== null && maxPriceCents !== null && minPriceCents > maxPriceCents) {
    violations.push({ field: "min_price", description: "min_price must not exceed max_price" });
  }
  if (request.categoryId < 0) {
    violations.push({ field: "category_id", description: "category_id must not be negative" });
  }
  if (request.limit < 0 || request.limit > MAX_SEARCH_RESULTS) {
    violations.push({
      field: "limit",
      description: `limit must be between 1 and ${MAX_SEARCH_RESULTS} (0 = ${MAX_SEARCH_RESULTS})`,
    });
  }
  const query = request.query.trim();
  if (query.length > MAX_QUERY_LENGTH) {
    violations.push({
      field: "query",
      description: `query must be at most ${MAX_QUERY_LENGTH} characters`,
    });
  }
  if (violations.length > 0) return { ok: false, violations };
  return {
    ok: true,
    filters: {
      categoryId: request.categoryId > 0 ? request.categoryId : null,
      minPriceCents,
      maxPriceCents,
      query,
      limit: request.limit === 0 ? MAX_SEARCH_RESULTS : request.limit,
    },
  };
}
