import type { AuthenticatedContext } from "@grpc-cfg/runtime";
import { OrderServiceBase } from "../gen/shop/v1/orders.grpc-cfg.js";
import type {
  CancelOrderRequest,
  CancelOrderResponse,
  CreateOrderRequest,
  CreateOrderResponse,
  GetOrderRequest,
  GetOrderResponse,
} from "../gen/shop/v1/orders.js";
import { cancelOwnOrder, createOrder, getOwnOrder } from "./order-repository.js";
import { validateOrderLines } from "./order-validation.js";

/**
 * shop.v1.OrderService: an AuthRequiredService, so anonymous calls never get here and
 * `ctx.user` is always the caller. Every query is scoped to that user.
 */
export class OrderService extends OrderServiceBase {
  async createOrder(
    request: CreateOrderRequest,
    ctx: AuthenticatedContext,
  ): Promise<CreateOrderResponse> {
    const violations = validateOrderLines(request.items);
    if (violations.length > 0) this.invalidArgument("Invalid order", violations);
    return { order: await createOrder(ctx.db, ctx.user.id, request.items) };
  }

  async getOrder(request: GetOrderRequest, ctx: AuthenticatedContext): Promise<GetOrderResponse> {
    this.checkOrderId(request.orderId);
    return { order: await getOwnOrder(ctx.db, ctx.user.id, request.orderId) };
  }

  async cancelOrder(
    request: CancelOrderRequest,
    ctx: AuthenticatedContext,
  ): Promise<CancelOrderResponse> {
    this.checkOrderId(request.orderId);
    return { order: await cancelOwnOrder(ctx.db, ctx.user.id, request.orderId) };
  }

  private checkOrderId(orderId: number): void {
    if (orderId <= 0) {
      this.invalidArgument("Invalid order id", { order_id: "order_id must be a positive id" });
    }
  }
}
