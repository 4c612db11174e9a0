import { OrderStatus as OrderStatusMessage } from "../gen/shop/v1/orders.js";
import type { Order, OrderItem } from "../gen/shop/v1/orders.js";
import type { OrderStatus } from "../db/schema.js";
import { formatCents } from "../shared/money.js";

const STATUS_TO_MESSAGE: Readonly<Record<OrderStatus, OrderStatusMessage>> = {
  pending: OrderStatusMessage.ORDER_STATUS_PENDING,
  processing: OrderStatusMessage.ORDER_STATUS_PROCESSING,
  shipped: OrderStatusMessage.ORDER_STATUS_SHIPPED,
  delivered: OrderStatusMessage.ORDER_STATUS_DELIVERED,
  cancelled: OrderStatusMessage.ORDER_STATUS_CANCELLED,
};

/** Maps a stored status to the proto enum. */
export function toStatusMessage(status: OrderStatus): OrderStatusMessage {
  return STATUS_TO_MESSAGE[status];
}

/** An order row as the repository reads it. */
export interface OrderRow {
  readonly id: number;
  readonly userId: number;
  readonly status: OrderStatus;
  readonly totalCents: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** An order line with its product's name. */
export interface OrderItemRow {
  readonly productId: number;
  readonly productName: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/** Builds the API message of an order and its lines. */
export function toOrderMessage(order: OrderRow, items: readonly OrderItemRow[]): Order {
  return {
    id: order.id,
    userId: order.userId,
    status: toStatusMessage(order.status),
    total: formatCents(order.totalCents),
    totalCents: order.totalCents,
    items: items.map(toOrderItemMessage),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

function toOrderItemMessage(item: OrderItemRow): OrderItem {
  return {
    productId: item.productId,
    productName: item.productName,
    quantity: item.quantity,
    unitPrice: formatCents(item.unitPriceCents),
    lineTotal: formatCents(item.unitPriceCents * item.quantity),
  };
}
