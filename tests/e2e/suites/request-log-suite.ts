/**
 * The request log and key usage after everything the file's other suites did: defined last,
 * so it sees every call the ledger recorded.
 */
import { eq } from "drizzle-orm";
import { Status } from "nice-grpc";
import { describe, expect, it } from "vitest";
import { requestLogs } from "@grpc-cfg/store";
import { keyUsage } from "../../support/call-ledger.js";
import type { FixtureAccess } from "../../support/shop-fixture.js";

/** Checks the log and usage counters against the ledger of calls made. */
export function defineRequestLogTests(fx: FixtureAccess, minimumCalls: number): void {
  describe("request log and key usage", () => {
    it("holds exactly one row per call made, with the status, user and key the client saw", async () => {
      const { shop, ledger } = fx();
      expect(ledger.entries.length).toBeGreaterThanOrEqual(minimumCalls);
      const codes = new Set(ledger.entries.map((entry) => entry.code));
      // The calls cover success, auth refusals and handler errors alike.
      for (const code of [
        Status.OK,
        Status.UNAUTHENTICATED,
        Status.PERMISSION_DENIED,
        Status.INVALID_ARGUMENT,
      ]) {
        expect(codes).toContain(code);
      }
      const rows = await ledger.loggedRows(shop.store);
      expect(ledger.mismatches(rows)).toEqual([]);
      expect(rows).toHaveLength(ledger.entries.length);
    });

    it("keeps the field violations of a failed call as error details", async () => {
      const { shop, ledger } = fx();
      const failed = ledger.entries.find(
        (entry) =>
          entry.path === "/shop.v1.OrderService/CreateOrder" &&
          entry.code === Status.INVALID_ARGUMENT,
      );
      expect(failed).toBeDefined();
      const [row] = await shop.store.db
        .select({ errorMessage: requestLogs.errorMessage, errorDetails: requestLogs.errorDetails })
        .from(requestLogs)
        .where(eq(requestLogs.requestId, failed!.requestId));
      expect(row?.errorMessage).toBe("Invalid order");
      expect(JSON.stringify(row?.errorDetails)).toContain("items");
    });

    it("counts every use of each key exactly, with its last use", async () => {
      const { shop, ledger } = fx();
      const expected = ledger.callsPerKey();
      const actual = await keyUsage(shop.store, expected);
      const stillStored = new Map([...expected].filter(([id]) => actual.has(id)));
      expect(actual).toEqual(stillStored);
      expect(actual.size).toBeGreaterThanOrEqual(4);
      for (const id of actual.keys()) {
        expect((await shop.store.apiKeys.get(id)).lastUsedAt).toBeInstanceOf(Date);
      }
    });
  });
}
