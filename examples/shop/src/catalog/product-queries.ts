import { and, asc, eq, gte, ilike, lte, or } from "drizzle-orm";
import type { SQL } from "drizzle-orm";
import type { Database } from "@grpc-cfg/runtime";
import { categories, products } from "../db/schema.js";
import { formatCents } from "../shared/money.js";
import type { Product } from "../gen/shop/v1/catalog.js";

/** Most products one search returns, whatever the client asks for. */
export const MAX_SEARCH_RESULTS = 100;

/** Validated search filters (prices already in cents). */
export interface ProductFilters {
  readonly categoryId: number | null;
  readonly minPriceCents: number | null;
  readonly maxPriceCents: number | null;
  /** Text to find in the name or description; empty = no text filter. */
  readonly query: string;
  readonly limit: number;
}

const productColumns = {
  id: products.id,
  name: products.name,
  description: products.description,
  priceCents: products.priceCents,
  stock: products.stock,
  createdAt: products.createdAt,
  categoryId: categories.id,
  categoryName: categories.name,
  categorySlug: categories.slug,
};

type ProductRow = {
  [K in keyof typeof productColumns]: (typeof productColumns)[K]["_"]["data"];
};

/** Maps a joined product + category row to the API message. */
export function toProductMessage(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    price: formatCents(row.priceCents),
    priceCents: row.priceCents,
    stock: row.stock,
    createdAt: row.createdAt,
    category: { id: row.categoryId, name: row.categoryName, slug: row.categorySlug },
  };
}

/** Escapes LIKE wildcards so user text matches literally (Postgres' default escape is `\`). */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One active product with its category, or null. */
export async function findActiveProduct(db: Database, id: number): Promise<Product | null> {
  const rows = await db
    .select(productColumns)
    .from(products)
    .innerJoin(categories, eq(products.categoryId, categories.id))
    .where(and(eq(products.id, id), eq(products.active, true)))
    .limit(1);
  const row = rows[0];
  return row ? toProductMessage(row) : null;
}

/** Active products matching every filter, cheapest first (then by id, for a stable order). */
export async function searchActiveProducts(
  db: Database,
  filters: ProductFilters,
): Promise<Product[]> {
  const conditions: SQL[] = [eq(products.active, true)];
  if (filters.categoryId !== null) conditions.push(eq(products.categoryId, filters.categoryId));
  if (filters.minPriceCents !== null)
    conditions.push(gte(products.priceCents, filters.minPriceCents));
  if (filters.maxPriceCents !== null)
    conditions.push(lte(products.priceCents, filters.maxPriceCents));
  if (filters.query !== "") {
    const pattern = likeContains(filters.query);
    const text = or(ilike(products.name, pattern), ilike(products.description, pattern));
    if (text) conditions.push(text);
  }
  const rows = await db
    .select(productColumns)
    .from(products)
    .innerJoin(categories, eq(products.categoryId, categories.id))
    .where(and(...conditions))
    .orderBy(asc(products.priceCents), asc(products.id))
    .limit(Math.min(filters.limit, MAX_SEARCH_RESULTS));
  return rows.map(toProductMessage);
}
