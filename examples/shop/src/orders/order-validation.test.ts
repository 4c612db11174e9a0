import { describe, expect, it } from "vitest";
import {
  MAX_LINES_PER_ORDER,
  MAX_QUANTITY_PER_LINE,
  validateOrderLines,
} from "./order-validation.js";

describe("validateOrderLines", () => {
  it("accepts well-formed lines", () => {
    expect(validateOrderLines([{ productId: 1, quantity: 2 }])).toEqual([]);
  });

  it("refuses an empty order", () => {
    expect(validateOrderLines([])).toEqual([
      { field: "items", description: "an order needs at least one item" },
    ]);
  });

  it("refuses too many lines", () => {
    const lines = Array.from({ length: MAX_LINES_PER_ORDER + 1 }, () => ({
      productId: 1,
      quantity: 1,
    }));
    expect(validateOrderLines(lines).map((v) => v.field)).toEqual(["items"]);
  });

  it("names every bad field with its index", () => {
    const violations = validateOrderLines([
      { productId: 1, quantity: 1 },
      { productId: 2, quantity: 0 },
      { productId: 0, quantity: -3 },
      { productId: 3, quantity: MAX_QUANTITY_PER_LINE + 1 },
    ]);
    expect(violations.map((v) => v.field)).toEqual([
      "items[1].quantity",
      "items[2].product_id",
      "items[2].quantity",
      "items[3].quantity",
    ]);
  });
});
