import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Status } from "nice-grpc";
import { eq } from "drizzle-orm";
import { categories, products } from "../db/schema.js";
import { SEED_PRODUCTS } from "../db/seed-data.js";
import { shopBackends } from "../testing/shop-backends.js";
import type { ShopHarness } from "../testing/shop-harness.js";
import { collect, grpcError, violatedFields } from "../testing/grpc-test-helpers.js";
import type { SearchProductsRequest } from "../gen/shop/v1/catalog.js";

const backends = (await shopBackends("shop_catalog")).filter((backend) => backend.skip === null);

describe.each(backends)("on $name", (backend) => {
  let shop: ShopHarness;

  beforeAll(async () => {
    shop = await backend.start();
  });

  afterAll(async () => {
    await shop?.close();
  });

  async function productId(name: string): Promise<number> {
    const [row] = await shop.store.db
      .select({ id: products.id })
      .from(products)
      .where(eq(products.name, name));
    if (!row) throw new Error(`no seeded product ${name}`);
    return row.id;
  }

  async function categoryId(slug: string): Promise<number> {
    const [row] = await shop.store.db
      .select({ id: categories.id })
      .from(categories)
      .where(eq(categories.slug, slug));
    if (!row) throw new Error(`no seeded category ${slug}`);
    return row.id;
  }

  function search(request: Partial<SearchProductsRequest>, key?: string) {
    const full: SearchProductsRequest = { categoryId: 0, query: "", limit: 0, ...request };
    return collect(shop.clients(key).catalog.searchProducts(full));
  }

  describe("GetProduct", () => {
    it("returns the product with its category and both price forms, anonymously", async () => {
      const id = await productId("Mechanical Keyboard");
      const { product } = await shop.clients().catalog.getProduct({ productId: id });
      expect(product).toMatchObject({
        id,
        name: "Mechanical Keyboard",
        price: "89.50",
        priceCents: 8950,
        category: { name: "Electronics", slug: "electronics" },
      });
      expect(product?.createdAt).toBeInstanceOf(Date);
    });

    it("works with a key too", async () => {
      const id = await productId("Mechanical Keyboard");
      const { product } = await shop.clients(shop.bob.key).catalog.getProduct({ productId: id });
      expect(product?.name).toBe("Mechanical Keyboard");
    });

    it("answers NOT_FOUND for an unknown or inactive product", async () => {
      const missing = await grpcError(() =>
        shop.clients().catalog.getProduct({ productId: 999_999 }),
      );
      expect(missing.code).toBe(Status.NOT_FOUND);

      const [hidden] = await shop.store.db
        .insert(products)
        .values({
          name: "Discontinued Gadget",
          categoryId: await categoryId("electronics"),
          priceCents: 100,
          active: false,
        })
        .returning({ id: products.id });
      const inactive = await grpcError(() =>
        shop.clients().catalog.getProduct({ productId: hidden!.id }),
      );
      expect(inactive.code).toBe(Status.NOT_FOUND);
    });

    it("answers INVALID_ARGUMENT for a non-positive id", async () => {
      const error = await grpcError(() => shop.clients().catalog.getProduct({ productId: 0 }));
      expect(error.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(error)).toEqual(["product_id"]);
    });
  });

  describe("SearchProducts (server stream)", () => {
    it("streams every active seeded product, cheapest first, without filters", async () => {
      const items = await search({});
      const names = items.map((item) => item.product?.name);
      expect(names).toEqual(expect.arrayContaining(SEED_PRODUCTS.map((p) => p.name)));
      expect(names).not.toContain("Discontinued Gadget");
      const prices = items.map((item) => item.product?.priceCents ?? -1);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));
    });

    it("filters by category", async () => {
      const books = await categoryId("books");
      const items = await search({ categoryId: books });
      expect(items.map((i) => i.product?.name).sort()).toEqual([
        "Designing Data-Intensive Applications",
        "The Pragmatic Programmer",
      ]);
      expect(items.every((i) => i.product?.category?.slug === "books")).toBe(true);
    });

    it("filters by an inclusive price range given as decimals", async () => {
      const items = await search({ minPrice: "39.95", maxPrice: "49" });
      expect(items.map((i) => i.product?.price)).toEqual(["39.95", "44.99", "49.00"]);
    });

    it("finds text in the name or the description, ignoring case", async () => {
      const byName = await search({ query: "KETTLE" });
      expect(byName.map((i) => i.product?.name)).toEqual(["Pour-Over Coffee Kettle"]);
      const byDescription = await search({ query: "campfire" });
      expect(byDescription.map((i) => i.product?.name)).toEqual(["Cast Iron Skillet (26 cm)"]);
    });

    it("treats % and _ in the text literally", async () => {
      expect(await search({ query: "%" })).toEqual([]);
      expect(await search({ query: "_" })).toEqual([]);
    });

    it("combines filters", async () => {
      const items = await search({ categoryId: await categoryId("outdoor"), maxPrice: "100" });
      expect(items.map((i) => i.product?.name)).toEqual(["Insulated Water Bottle (750 ml)"]);
    });

    it("returns at most 100 products, and fewer when asked", async () => {
      const bulk = await categoryId("kitchen");
      await shop.store.db.insert(products).values(
        Array.from({ length: 120 }, (_, i) => ({
          name: `Bulk Spoon ${i + 1}`,
          description: "Plain teaspoon",
          categoryId: bulk,
          priceCents: 100 + i,
          stock: 10,
        })),
      );
      expect(await search({ query: "Bulk Spoon" })).toHaveLength(100);
      const five = await search({ query: "Bulk Spoon", limit: 5 });
      expect(five.map((i) => i.product?.price)).toEqual(["1.00", "1.01", "1.02", "1.03", "1.04"]);
    });

    it("rejects malformed filters with INVALID_ARGUMENT naming each field", async () => {
      const badPrice = await grpcError(() => search({ minPrice: "ten", maxPrice: "-5" }));
      expect(badPrice.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(badPrice)).toEqual(["min_price", "max_price"]);

      const inverted = await grpcError(() => search({ minPrice: "50", maxPrice: "10" }));
      expect(violatedFields(inverted)).toEqual(["min_price"]);

      const tooMany = await grpcError(() => search({ limit: 101 }));
      expect(violatedFields(tooMany)).toEqual(["limit"]);
    });
  });
});
