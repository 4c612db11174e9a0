/** shop.v1.OrderService over a real server, through the nice-grpc client (a). */
import { eq, inArray } from "drizzle-orm";
import { Status } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { orders, products } from "../../../examples/shop/src/db/schema.js";
import { OrderStatus } from "../../../examples/shop/src/gen/shop/v1/orders.js";
import { grpcError, violatedFields } from "../../../examples/shop/src/testing/grpc-test-helpers.js";
import { ANONYMOUS, callerOf } from "../../support/call-ledger.js";
import type { FixtureAccess } from "../../support/shop-fixture.js";

const KEYBOARD = "Mechanical Keyboard"; // 89.50
const CABLE = "USB-C Charging Cable (2 m)"; // 12.99

/** Every OrderService method and error case, with the database checked behind the calls. */
export function defineOrderServiceTests(fx: FixtureAccess): void {
  describe("OrderService", () => {
    const catalogue = async () => {
      const rows = await fx()
        .shop.store.db.select({ id: products.id, name: products.name, stock: products.stock })
        .from(products)
        .where(inArray(products.name, [KEYBOARD, CABLE]));
      const byName = new Map(rows.map((row) => [row.name, row]));
      return { keyboard: byName.get(KEYBOARD)!, cable: byName.get(CABLE)! };
    };
    const orderCount = async (userId: number) =>
      (
        await fx()
          .shop.store.db.select({ id: orders.id })
          .from(orders)
          .where(eq(orders.userId, userId))
      ).length;

    it("refuses anonymous callers on every method with UNAUTHENTICATED", async () => {
      const anonymous = fx().as(ANONYMOUS).orders;
      for (const call of [
        () => anonymous.createOrder({ items: [{ productId: 1, quantity: 1 }] }),
        () => anonymous.getOrder({ orderId: 1 }),
        () => anonymous.cancelOrder({ orderId: 1 }),
      ]) {
        expect((await grpcError(call)).code).toBe(Status.UNAUTHENTICATED);
      }
    });

    it("CreateOrder prices lines from the catalogue, totals them and takes the stock", async () => {
      const { shop, as } = fx();
      const before = await catalogue();
      const { order } = await as(callerOf(shop.bob)).orders.createOrder({
        items: [
          { productId: before.keyboard.id, quantity: 2 },
          { productId: before.cable.id, quantity: 1 },
        ],
      });
      expect(order).toMatchObject({
        userId: shop.bob.id,
        status: OrderStatus.ORDER_STATUS_PENDING,
        total: "191.99",
        totalCents: 19_199,
        items: [
          {
            productId: before.keyboard.id,
            productName: KEYBOARD,
            quantity: 2,
            unitPrice: "89.50",
            lineTotal: "179.00",
          },
          {
            productId: before.cable.id,
            productName: CABLE,
            quantity: 1,
            unitPrice: "12.99",
            lineTotal: "12.99",
          },
        ],
      });
      const after = await catalogue();
      expect(after.keyboard.stock).toBe(before.keyboard.stock - 2);
      expect(after.cable.stock).toBe(before.cable.stock - 1);
    });

    it("CreateOrder rejects no items and bad lines with INVALID_ARGUMENT per field, storing nothing", async () => {
      const { shop, as } = fx();
      const client = as(callerOf(shop.carol)).orders;
      const stored = await orderCount(shop.carol.id);
      const empty = await grpcError(() => client.createOrder({ items: [] }));
      expect(empty.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(empty)).toEqual(["items"]);
      const { keyboard } = await catalogue();
      const bad = await grpcError(() =>
        client.createOrder({
          items: [
            { productId: 0, quantity: 1 },
            { productId: keyboard.id, quantity: 0 },
          ],
        }),
      );
      expect(bad.code).toBe(Status.INVALID_ARGUMENT);
      expect(violatedFields(bad)).toEqual(["items[0].product_id", "items[1].quantity"]);
      expect(await orderCount(shop.carol.id)).toBe(stored);
    });

    it("CreateOrder with an unknown product is NOT_FOUND and rolls back every line", async () => {
      const { shop, as } = fx();
      const before = await catalogue();
      const stored = await orderCount(shop.carol.id);
      const error = await grpcError(() =>
        as(callerOf(shop.carol)).orders.createOrder({
          items: [
            { productId: before.keyboard.id, quantity: 1 },
            { productId: 777_777, quantity: 1 },
          ],
        }),
      );
      expect(error.code).toBe(Status.NOT_FOUND);
      expect(error.details).toContain("777777");
      expect((await catalogue()).keyboard.stock).toBe(before.keyboard.stock);
      expect(await orderCount(shop.carol.id)).toBe(stored);
    });

    it("GetOrder returns the caller's own order; another user's is NOT_FOUND", async () => {
      const { shop, as } = fx();
      const { cable } = await catalogue();
      const { order } = await as(callerOf(shop.bob)).orders.createOrder({
        items: [{ productId: cable.id, quantity: 3 }],
      });
      const own = await as(callerOf(shop.bob)).orders.getOrder({ orderId: order!.id });
      expect(own.order).toEqual(order);
      const foreign = await grpcError(() =>
        as(callerOf(shop.carol)).orders.getOrder({ orderId: order!.id }),
      );
      expect(foreign.code).toBe(Status.NOT_FOUND);
    });

    it("CancelOrder cancels a pending order and restocks; other statuses are FAILED_PRECONDITION", async () => {
      const { shop, as } = fx();
      const bob = as(callerOf(shop.bob)).orders;
      const before = await catalogue();
      const { order } = await bob.createOrder({
        items: [{ productId: before.keyboard.id, quantity: 1 }],
      });
      const foreign = await grpcError(() =>
        as(callerOf(shop.carol)).orders.cancelOrder({ orderId: order!.id }),
      );
      expect(foreign.code).toBe(Status.NOT_FOUND);
      const cancelled = await bob.cancelOrder({ orderId: order!.id });
      expect(cancelled.order?.status).toBe(OrderStatus.ORDER_STATUS_CANCELLED);
      expect((await catalogue()).keyboard.stock).toBe(before.keyboard.stock);
      const twice = await grpcError(() => bob.cancelOrder({ orderId: order!.id }));
      expect(twice.code).toBe(Status.FAILED_PRECONDITION);

      const { order: shipped } = await bob.createOrder({
        items: [{ productId: before.cable.id, quantity: 1 }],
      });
      await shop.store.db
        .update(orders)
        .set({ status: "shipped" })
        .where(eq(orders.id, shipped!.id));
      const late = await grpcError(() => bob.cancelOrder({ orderId: shipped!.id }));
      expect(late.code).toBe(Status.FAILED_PRECONDITION);
      expect(late.details).toContain("shipped");
    });
  });
}
