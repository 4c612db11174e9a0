/** shop.v1.ProductCatalogService over a real server, through the nice-grpc client (a). */
import { eq } from "drizzle-orm";
import { Status } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { categories, products } from "../../../examples/shop/src/db/schema.js";
import { SEED_PRODUCTS } from "../../../examples/shop/src/db/seed-data.js";
import {
  collect,
  grpcError,
  violatedFields,
} from "../../../examples/shop/src/testing/grpc-test-helpers.js";
import { ANONYMOUS, callerOf } from "../../support/call-ledger.js";
import type { FixtureAccess } from "../../support/shop-fixture.js";

/** Seed product names matching `keep`, cheapest first (then by seed order, as ids are). */
function seededNames(keep: (product: (typeof SEED_PRODUCTS)[number]) => boolean): string[] {
  return SEED_PRODUCTS.map((product, order) => ({ product, order }))
    .filter(({ product }) => keep(product))
    .sort((a, b) => a.product.priceCents - b.product.priceCents || a.order - b.order)
    .map(({ product }) => product.name);
}

/** Every ProductCatalogService method, each filter, the 100-result cap and bad input. */
export function defineCatalogServiceTests(fx: FixtureAccess): void {
  describe("ProductCatalogService", () => {
    const productId = async (name: string) => {
      const { db } = fx().shop.store;
      const [row] = await db
        .select({ id: products.id })
        .from(products)
        .where(eq(products.name, name));
      if (!row) throw new Error(`no product "${name}" in the database`);
      return row.id;
    };
    const categoryId = async (slug: string) => {
      const { db } = fx().shop.store;
      const [row] = await db
        .select({ id: categories.id })
        .from(categories)
        .where(eq(categories.slug, slug));
      if (!row) throw new Error(`no category "${slug}" in the database`);
      return row.id;
    };

    it("GetProduct returns an active product with its category and exact price", async () => {
      const id = await productId("Mechanical Keyboard");
      const { product } = await fx().as(ANONYMOUS).catalog.getProduct({ productId: id });
      expect(product).toMatchObject({
        id,
        name: "Mechanical Keyboard",
        price: "89.50",
        priceCents: 8950,
        category: { name: "Electronics", slug: "electronics" },
      });
    });

    it("GetProduct: NOT_FOUND for an unknown id, INVALID_ARGUMENT for a non-positive one", async () => {
      const catalog = fx().as(callerOf(fx().shop.carol)).catalog;
      const missing = await grpcError(() => catalog.getProduct({ productId: 424_242 }));
      expect(missing.code).toBe(Status.NOT_FOUND);
      const invalid = await grpcError(() => catalog.getProduct({ productId: 0 }));
      expect(invalid.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(invalid)).toEqual(["product_id"]);
    });

    it("SearchProducts matches text in name or description, case-insensitively", async () => {
      const catalog = fx().as(ANONYMOUS).catalog;
      const byName = await collect(catalog.searchProducts({ query: "KEYBOARD" }));
      expect(byName.map((item) => item.product!.name)).toEqual(["Mechanical Keyboard"]);
      const byDescription = await collect(catalog.searchProducts({ query: "gooseneck" }));
      expect(byDescription.map((item) => item.product!.name)).toEqual(["Pour-Over Coffee Kettle"]);
    });

    it("SearchProducts filters by category and by price range, cheapest first", async () => {
      const catalog = fx().as(ANONYMOUS).catalog;
      const electronics = await categoryId("electronics");
      const inCategory = await collect(catalog.searchProducts({ categoryId: electronics }));
      expect(inCategory.map((item) => item.product!.name)).toEqual(
        seededNames((p) => p.category === "electronics"),
      );
      expect(inCategory.every((item) => item.product!.category?.id === electronics)).toBe(true);
      const inRange = await collect(catalog.searchProducts({ minPrice: "30", maxPrice: "50.00" }));
      expect(inRange.map((item) => item.product!.name)).toEqual(
        seededNames((p) => p.priceCents >= 3000 && p.priceCents <= 5000),
      );
      const combined = await collect(
        catalog.searchProducts({ categoryId: electronics, maxPrice: "100", query: "a", limit: 1 }),
      );
      expect(combined.map((item) => item.product!.name)).toEqual(["USB-C Charging Cable (2 m)"]);
    });

    it("SearchProducts streams at most 100 results", async () => {
      const { shop, as } = fx();
      const [bulk] = await shop.store.db
        .insert(categories)
        .values({ name: "Bulk", slug: "bulk" })
        .returning({ id: categories.id });
      await shop.store.db.insert(products).values(
        Array.from({ length: 105 }, (_, i) => ({
          categoryId: bulk!.id,
          name: `Bulk widget ${i + 1}`,
          priceCents: 100 + i,
          stock: 1,
        })),
      );
      const catalog = as(ANONYMOUS).catalog;
      expect(await collect(catalog.searchProducts({ categoryId: bulk!.id }))).toHaveLength(100);
      expect(
        await collect(catalog.searchProducts({ categoryId: bulk!.id, limit: 7 })),
      ).toHaveLength(7);
      const tooMany = await grpcError(() =>
        collect(catalog.searchProducts({ categoryId: bulk!.id, limit: 101 })),
      );
      expect(tooMany.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(tooMany)).toEqual(["limit"]);
    });

    it("SearchProducts rejects a malformed price and min above max, naming the field", async () => {
      const catalog = fx().as(ANONYMOUS).catalog;
      const malformed = await grpcError(() => collect(catalog.searchProducts({ minPrice: "abc" })));
      expect(malformed.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(malformed)).toEqual(["min_price"]);
      const inverted = await grpcError(() =>
        collect(catalog.searchProducts({ minPrice: "50", maxPrice: "10" })),
      );
      expect(inverted.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(inverted)).toEqual(["min_price"]);
    });
  });
}
