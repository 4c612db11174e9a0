import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Status } from "nice-grpc";
import { eq } from "drizzle-orm";
import { categories, orders, products } from "../db/schema.js";
import { OrderStatus } from "../gen/shop/v1/orders.js";
import { shopBackends } from "../testing/shop-backends.js";
import type { ShopHarness, TestAccount } from "../testing/shop-harness.js";
import { grpcError, violatedFields } from "../testing/grpc-test-helpers.js";

const backends = (await shopBackends("shop_orders")).filter((backend) => backend.skip === null);

describe.each(backends)("on $name", (backend) => {
  let shop: ShopHarness;
  let headphones: number;
  let cable: number;
  let book: number;

  beforeAll(async () => {
    shop = await backend.start();
    headphones = await productId("Wireless Noise-Cancelling Headphones");
    cable = await productId("USB-C Charging Cable (2 m)");
    book = await productId("The Pragmatic Programmer");
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

  async function stockOf(id: number): Promise<number> {
    const [row] = await shop.store.db
      .select({ stock: products.stock })
      .from(products)
      .where(eq(products.id, id));
    return row?.stock ?? -1;
  }

  async function orderCount(account: TestAccount): Promise<number> {
    return (await shop.store.db.select().from(orders).where(eq(orders.userId, account.id))).length;
  }

  describe("CreateOrder", () => {
    it("stores the order with prices and an exact total, and takes the stock", async () => {
      const before = { headphones: await stockOf(headphones), cable: await stockOf(cable) };
      const { order } = await shop.clients(shop.bob.key).orders.createOrder({
        items: [
          { productId: headphones, quantity: 1 },
          { productId: cable, quantity: 3 },
        ],
      });
      expect(order).toMatchObject({
        userId: shop.bob.id,
        status: OrderStatus.ORDER_STATUS_PENDING,
        total: "238.96",
        totalCents: 23_896,
        items: [
          { productId: headphones, quantity: 1, unitPrice: "199.99", lineTotal: "199.99" },
          {
            productId: cable,
            productName: "USB-C Charging Cable (2 m)",
            quantity: 3,
            unitPrice: "12.99",
            lineTotal: "38.97",
          },
        ],
      });
      expect(order?.createdAt).toBeInstanceOf(Date);
      expect(await stockOf(headphones)).toBe(before.headphones - 1);
      expect(await stockOf(cable)).toBe(before.cable - 3);
    });

    it("rejects an empty order with INVALID_ARGUMENT on `items`", async () => {
      const error = await grpcError(() =>
        shop.clients(shop.bob.key).orders.createOrder({ items: [] }),
      );
      expect(error.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(error)).toEqual(["items"]);
    });

    it("rejects non-positive quantities with a violation per line and stores nothing", async () => {
      const buyer = await shop.createAccount("quantity-tester");
      const error = await grpcError(() =>
        shop.clients(buyer.key).orders.createOrder({
          items: [
            { productId: cable, quantity: 1 },
            { productId: cable, quantity: 0 },
            { productId: book, quantity: -2 },
          ],
        }),
      );
      expect(error.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(error)).toEqual(["items[1].quantity", "items[2].quantity"]);
      expect(await orderCount(buyer)).toBe(0);
    });

    it("answers NOT_FOUND for an unknown product and rolls the whole order back", async () => {
      const buyer = await shop.createAccount("unknown-product-tester");
      const stock = await stockOf(book);
      const error = await grpcError(() =>
        shop.clients(buyer.key).orders.createOrder({
          items: [
            { productId: book, quantity: 1 },
            { productId: 999_999, quantity: 1 },
          ],
        }),
      );
      expect(error.code).toBe(Status.NOT_FOUND);
      expect(error.details).toContain("999999");
      expect(await orderCount(buyer)).toBe(0);
      expect(await stockOf(book)).toBe(stock);
    });

    it("refuses more than the stock with FAILED_PRECONDITION", async () => {
      const stock = await stockOf(book);
      const error = await grpcError(() =>
        shop.clients(shop.carol.key).orders.createOrder({
          items: [{ productId: book, quantity: stock + 1 }],
        }),
      );
      expect(error.code).toBe(Status.FAILED_PRECONDITION);
      expect(await stockOf(book)).toBe(stock);
    });

    it("sells the last unit only once when two orders race for it", async () => {
      const [category] = await shop.store.db
        .select({ id: categories.id })
        .from(categories)
        .where(eq(categories.slug, "books"));
      const [item] = await shop.store.db
        .insert(products)
        .values({ name: "Last Signed Copy", categoryId: category!.id, priceCents: 5000, stock: 1 })
        .returning({ id: products.id });
      const attempt = (key: string) =>
        shop
          .clients(key)
          .orders.createOrder({ items: [{ productId: item!.id, quantity: 1 }] })
          .then(
            () => "ok",
            (error: { code?: Status }) => error.code,
          );
      const outcomes = await Promise.all([attempt(shop.bob.key), attempt(shop.carol.key)]);
      expect(outcomes.sort()).toEqual([Status.FAILED_PRECONDITION, "ok"].sort());
      expect(await stockOf(item!.id)).toBe(0);
    });

    it("refuses anonymous callers with UNAUTHENTICATED", async () => {
      const error = await grpcError(() =>
        shop.clients().orders.createOrder({ items: [{ productId: cable, quantity: 1 }] }),
      );
      expect(error.code).toBe(Status.UNAUTHENTICATED);
    });
  });

  describe("GetOrder", () => {
    it("returns the caller's own order with its items", async () => {
      const { order: created } = await shop
        .clients(shop.carol.key)
        .orders.createOrder({ items: [{ productId: book, quantity: 2 }] });
      const { order } = await shop
        .clients(shop.carol.key)
        .orders.getOrder({ orderId: created!.id });
      expect(order).toMatchObject({
        id: created!.id,
        userId: shop.carol.id,
        total: "79.90",
        items: [{ productName: "The Pragmatic Programmer", quantity: 2, lineTotal: "79.90" }],
      });
    });

    it("answers NOT_FOUND for another user's order, as for a missing one", async () => {
      const { order } = await shop
        .clients(shop.carol.key)
        .orders.createOrder({ items: [{ productId: cable, quantity: 1 }] });
      const foreign = await grpcError(() =>
        shop.clients(shop.bob.key).orders.getOrder({ orderId: order!.id }),
      );
      expect(foreign.code).toBe(Status.NOT_FOUND);
      const missing = await grpcError(() =>
        shop.clients(shop.bob.key).orders.getOrder({ orderId: 999_999 }),
      );
      expect(missing.code).toBe(Status.NOT_FOUND);
      expect(foreign.details).toBe(`Order ${order!.id} not found`);
    });

    it("refuses anonymous callers with UNAUTHENTICATED", async () => {
      const error = await grpcError(() => shop.clients().orders.getOrder({ orderId: 1 }));
      expect(error.code).toBe(Status.UNAUTHENTICATED);
    });
  });

  describe("CancelOrder", () => {
    it("cancels a pending order and puts its items back in stock", async () => {
      const stock = await stockOf(cable);
      const { order } = await shop
        .clients(shop.bob.key)
        .orders.createOrder({ items: [{ productId: cable, quantity: 2 }] });
      expect(await stockOf(cable)).toBe(stock - 2);
      const cancelled = await shop.clients(shop.bob.key).orders.cancelOrder({ orderId: order!.id });
      expect(cancelled.order?.status).toBe(OrderStatus.ORDER_STATUS_CANCELLED);
      expect(await stockOf(cable)).toBe(stock);
    });

    it("cancels a processing order", async () => {
      const { order } = await shop
        .clients(shop.bob.key)
        .orders.createOrder({ items: [{ productId: cable, quantity: 1 }] });
      await shop.store.db
        .update(orders)
        .set({ status: "processing" })
        .where(eq(orders.id, order!.id));
      const cancelled = await shop.clients(shop.bob.key).orders.cancelOrder({ orderId: order!.id });
      expect(cancelled.order?.status).toBe(OrderStatus.ORDER_STATUS_CANCELLED);
    });

    it("refuses cancelled, shipped or delivered orders with FAILED_PRECONDITION", async () => {
      const client = shop.clients(shop.bob.key).orders;
      for (const status of ["cancelled", "shipped", "delivered"] as const) {
        const { order } = await client.createOrder({ items: [{ productId: cable, quantity: 1 }] });
        await shop.store.db.update(orders).set({ status }).where(eq(orders.id, order!.id));
        const stock = await stockOf(cable);
        const error = await grpcError(() => client.cancelOrder({ orderId: order!.id }));
        expect(error.code, status).toBe(Status.FAILED_PRECONDITION);
        expect(error.details).toContain(status);
        expect(await stockOf(cable)).toBe(stock);
        const { order: after } = await client.getOrder({ orderId: order!.id });
        expect(after?.status).not.toBe(OrderStatus.ORDER_STATUS_PENDING);
      }
    });

    it("answers NOT_FOUND for another user's order and leaves it alone", async () => {
      const { order } = await shop
        .clients(shop.carol.key)
        .orders.createOrder({ items: [{ productId: cable, quantity: 1 }] });
      const error = await grpcError(() =>
        shop.clients(shop.bob.key).orders.cancelOrder({ orderId: order!.id }),
      );
      expect(error.code).toBe(Status.NOT_FOUND);
      const { order: after } = await shop
        .clients(shop.carol.key)
        .orders.getOrder({ orderId: order!.id });
      expect(after?.status).toBe(OrderStatus.ORDER_STATUS_PENDING);
    });

    it("refuses anonymous callers with UNAUTHENTICATED and a wrong key likewise", async () => {
      const anonymous = await grpcError(() => shop.clients().orders.cancelOrder({ orderId: 1 }));
      expect(anonymous.code).toBe(Status.UNAUTHENTICATED);
      const wrongKey = await grpcError(() =>
        shop.clients("gcfg_not-a-real-key").orders.cancelOrder({ orderId: 1 }),
      );
      expect(wrongKey.code).toBe(Status.UNAUTHENTICATED);
    });
  });
});
