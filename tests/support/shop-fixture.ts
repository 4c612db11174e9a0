/**
 * One shop server per test file for the nice-grpc suites: started in `beforeAll`, stopped in
 * `afterAll`, with a call ledger and nice-grpc clients for any caller.
 */
import { afterAll, beforeAll } from "vitest";
import { CallLedger } from "./call-ledger.js";
import type { Caller } from "./call-ledger.js";
import { NiceShopClients } from "./nice-shop-clients.js";
import type { ShopClients } from "./nice-shop-clients.js";
import { startShopStack } from "./shop-stack.js";
import type { ShopDatabase, ShopStack } from "./shop-stack.js";

/** What the suites get. */
export interface ShopFixture {
  readonly shop: ShopStack;
  readonly ledger: CallLedger;
  /** nice-grpc clients whose calls carry `caller`'s credential and land in the ledger. */
  as(caller: Caller): ShopClients;
}

/** Returns the running fixture; throws when called before `beforeAll` finished. */
export type FixtureAccess = () => ShopFixture;

/**
 * Registers the hooks that start the shop on `database()` and stop it. Call inside the
 * `describe` that holds the suites (so a skipped describe starts nothing).
 */
export function useShopFixture(database: () => ShopDatabase): FixtureAccess {
  let fixture: (ShopFixture & { clients: NiceShopClients }) | null = null;
  beforeAll(async () => {
    const shop = await startShopStack(database());
    const ledger = new CallLedger();
    const clients = new NiceShopClients(shop.address, ledger);
    fixture = { shop, ledger, clients, as: (caller) => clients.as(caller) };
  });
  afterAll(async () => {
    fixture?.clients.close();
    await fixture?.shop.stop();
  });
  return () => {
    if (!fixture) throw new Error("the shop fixture is not running (did beforeAll fail?)");
    return fixture;
  };
}
