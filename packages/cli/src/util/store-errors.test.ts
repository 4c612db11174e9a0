import { StoreError } from "@grpc-cfg/store";
import { describe, expect, it } from "vitest";
import { CliError } from "./cli-error.js";
import { isStoreError, storeErrorToCliError } from "./store-errors.js";

describe("storeErrorToCliError", () => {
  it("gives a store failure the hint for its code and exit code 1", () => {
    const error = storeErrorToCliError(
      new StoreError("data-dir-locked", "the embedded database at .grpc-cfg/data is in use"),
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe("the embedded database at .grpc-cfg/data is in use");
    expect((error as CliError).hint).toMatch(/another process uses the embedded database/);
    expect((error as CliError).exitCode).toBe(1);
  });

  it("exits 2 for bad input, like every other argument error", () => {
    const error = storeErrorToCliError(new StoreError("invalid-argument", "bad --expires-in"));
    expect((error as CliError).exitCode).toBe(2);
  });

  it("prefers the caller's hint when it has one", () => {
    const error = storeErrorToCliError(
      new StoreError("connection-failed", "cannot reach db.internal:5432"),
      "is the VPN up?",
    );
    expect((error as CliError).hint).toBe("is the VPN up?");
  });

  it("passes other errors through untouched", () => {
    const other = new TypeError("boom");
    expect(storeErrorToCliError(other)).toBe(other);
    expect(isStoreError(other)).toBe(false);
    expect(isStoreError(new StoreError("not-found", "no key 7"))).toBe(true);
  });
});
