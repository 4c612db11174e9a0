import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { failedPrecondition, notFound } from "@grpc-cfg/runtime";
import type { Database } from "@grpc-cfg/runtime";
import { CANCELLABLE_STATUSES, orderItems, orders, products } from "../db/schema.js";
import type { Order } from "../gen/shop/v1/orders.js";
import type { OrderLineInput } from "./order-validation.js";
import { toOrderMessage } from "./order-mapper.js";
import type { OrderItemRow } from "./order-mapper.js";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

const orderColumns = {
  id: orders.id,
  userId: orders.userId,
  status: orders.status,
  totalCents: orders.totalCents,
  createdAt: orders.createdAt,
  updatedAt: orders.updatedAt,
};

/** Sums the quantity asked for each product (a product may appear on several lines). */
function quantitiesByProduct(lines: readonly OrderLineInput[]): Map<number, number> {
  const wanted = new Map<number, number>();
  for (const line of lines)
    wanted.set(line.productId, (wanted.get(line.productId) ?? 0) + line.quantity);
  return wanted;
}

/**
 * Places an order for `userId` in one transaction: locks the products, checks they exist and
 * have stock, stores the order and its lines at today's prices, and takes the stock. Throws
 * NOT_FOUND for an unknown or inactive product and FAILED_PRECONDITION for missing stock;
 * either rolls everything back. Lines must already be validated (validateOrderLines).
 */
export async function createOrder(
  db: Database,
  userId: number,
  lines: readonly OrderLineInput[],
): Promise<Order> {
  const wanted = quantitiesByProduct(lines);
  return db.transaction(async (tx) => {
    // FOR UPDATE: two concurrent orders for the last unit cannot both take it.
    const found = await tx
      .select({
        id: products.id,
        name: products.name,
        priceCents: products.priceCents,
        stock: products.stock,
      })
      .from(products)
      .where(and(inArray(products.id, [...wanted.keys()]), eq(products.active, true)))
      .orderBy(asc(products.id))
      .for("update");
    const byId = new Map(found.map((p) => [p.id, p]));
    for (const [productId, quantity] of wanted) {
      const product = byId.get(productId);
      if (!product) notFound(`Product ${productId} not found`);
      if (product.stock < quantity) {
        failedPrecondition(
          `Not enough stock for "${product.name}": ${quantity} wanted, ${product.stock} left`,
        );
      }
    }
    const items: OrderItemRow[] = lines.map((line) => {
      const product = byId.get(line.productId);
      if (!product) return notFound(`Product ${line.productId} not found`); // checked above
      return {
        productId: product.id,
        productName: product.name,
        quantity: line.quantity,
        unitPriceCents: product.priceCents,
      };
    });
    const totalCents = items.reduce((sum, item) => sum + item.unitPriceCents * item.quantity, 0);
    const [order] = await tx.insert(orders).values({ userId, totalCents }).returning(orderColumns);
    if (!order) throw new Error("INSERT … RETURNING gave no order row");
    await tx.insert(orderItems).values(
      items.map((item) => ({
        orderId: order.id,
        productId: item.productId,
        quantity: item.quantity,
        unitPriceCents: item.unitPriceCents,
      })),
    );
    for (const [productId, quantity] of wanted) {
      await tx
        .update(products)
        .set({ stock: sql`${products.stock} - ${quantity}` })
        .where(eq(products.id, productId));
    }
    return toOrderMessage(order, items);
  });
}

async function loadItems(db: Database | Tx, orderId: number): Promise<OrderItemRow[]> {
  return db
    .select({
      productId: orderItems.productId,
      productName: products.name,
      quantity: orderItems.quantity,
      unitPriceCents: orderItems.unitPriceCents,
    })
    .from(orderItems)
    .innerJoin(products, eq(orderItems.productId, products.id))
    .where(eq(orderItems.orderId, orderId))
    .orderBy(asc(orderItems.id));
}

/**
 * One of `userId`'s orders with its lines. Another user's order is NOT_FOUND, exactly like a
 * missing one, so ids of other people's orders cannot be probed.
 */
export async function getOwnOrder(db: Database, userId: number, orderId: number): Promise<Order> {
  const [order] = await db
    .select(orderColumns)
    .from(orders)
    .where(and(eq(orders.id, orderId), eq(orders.userId, userId)))
    .limit(1);
  if (!order) notFound(`Order ${orderId} not found`);
  return toOrderMessage(order, await loadItems(db, order.id));
}

/**
 * Cancels one of `userId`'s orders and puts its items back in stock, in one transaction.
 * NOT_FOUND for a missing or foreign order; FAILED_PRECONDITION unless it is pending or
 * processing.
 */
export async function cancelOwnOrder(
  db: Database,
  userId: number,
  orderId: number,
): Promise<Order> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select(orderColumns)
      .from(orders)
      .where(and(eq(orders.id, orderId), eq(orders.userId, userId)))
      .for("update");
    if (!current) notFound(`Order ${orderId} not found`);
    if (!CANCELLABLE_STATUSES.has(current.status)) {
      failedPrecondition(
        `Order ${orderId} is ${current.status}; only pending or processing orders can be cancelled`,
      );
    }
    const [updated] = await tx
      .update(orders)
      .set({ status: "cancelled", updatedAt: sql`now()` })
      .where(eq(orders.id, orderId))
      .returning(orderColumns);
    if (!updated) throw new Error("UPDATE … RETURNING gave no order row");
    const items = await loadItems(tx, orderId);
    for (const item of items) {
      await tx
        .update(products)
        .set({ stock: sql`${products.stock} + ${item.quantity}` })
        .where(eq(products.id, item.productId));
    }
    return toOrderMessage(updated, items);
  });
}
