/**
 * Client (a): nice-grpc with the shop's generated ts-proto definitions. Every call goes
 * through a middleware that tags it with its own `x-request-id`, sends the caller's
 * credential and notes the outcome in the {@link CallLedger}.
 */
import { ClientError, Metadata, Status, createChannel, createClientFactory } from "nice-grpc";
import type { Channel, Client, ClientMiddleware } from "nice-grpc";
import { errorDetailsClientMiddleware } from "nice-grpc-error-details";
import { ProductCatalogServiceDefinition } from "../../examples/shop/src/gen/shop/v1/catalog.js";
import { ChatServiceDefinition } from "../../examples/shop/src/gen/shop/v1/chat.js";
import { OrderServiceDefinition } from "../../examples/shop/src/gen/shop/v1/orders.js";
import { UserServiceDefinition } from "../../examples/shop/src/gen/shop/v1/users.js";
import type { CallLedger, Caller } from "./call-ledger.js";

/** Typed clients of the four shop services, acting as one caller. */
export interface ShopClients {
  readonly users: Client<typeof UserServiceDefinition>;
  readonly catalog: Client<typeof ProductCatalogServiceDefinition>;
  readonly orders: Client<typeof OrderServiceDefinition>;
  readonly chat: Client<typeof ChatServiceDefinition>;
}

/** Clients for any caller over one shared channel. */
export class NiceShopClients {
  readonly #channel: Channel;
  readonly #ledger: CallLedger;

  constructor(address: string, ledger: CallLedger) {
    this.#channel = createChannel(address);
    this.#ledger = ledger;
  }

  /** Clients whose calls carry `caller`'s credential and are recorded in the ledger. */
  as(caller: Caller): ShopClients {
    // errorDetails is outermost, so failures surface as RichClientError with BadRequest details.
    const factory = createClientFactory()
      .use(errorDetailsClientMiddleware)
      .use(ledgerMiddleware(this.#ledger, caller));
    return {
      users: factory.create(UserServiceDefinition, this.#channel),
      catalog: factory.create(ProductCatalogServiceDefinition, this.#channel),
      orders: factory.create(OrderServiceDefinition, this.#channel),
      chat: factory.create(ChatServiceDefinition, this.#channel),
    };
  }

  close(): void {
    this.#channel.close();
  }
}

function ledgerMiddleware(ledger: CallLedger, caller: Caller): ClientMiddleware {
  return async function* recordCall(call, options) {
    const requestId = ledger.nextRequestId();
    const metadata = Metadata(options.metadata);
    metadata.set("x-request-id", requestId);
    for (const [name, value] of Object.entries(caller.metadata)) metadata.set(name, value);
    // Stays CANCELLED only if the consumer stops reading before the call ends.
    let code: Status = Status.CANCELLED;
    try {
      const result = yield* call.next(call.request, { ...options, metadata });
      code = Status.OK;
      return result;
    } catch (error) {
      code = error instanceof ClientError ? error.code : Status.UNKNOWN;
      throw error;
    } finally {
      ledger.record({ requestId, path: call.method.path, code, caller });
    }
  };
}
