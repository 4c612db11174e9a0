import { describe, expect, it } from "vitest";
import { formatCents, parsePriceToCents } from "./money.js";

describe("formatCents", () => {
  it("always shows two decimal places", () => {
    expect(formatCents(1999)).toBe("19.99");
    expect(formatCents(5)).toBe("0.05");
    expect(formatCents(0)).toBe("0.00");
    expect(formatCents(120_000)).toBe("1200.00");
    expect(formatCents(-250)).toBe("-2.50");
  });

  it("refuses fractions of a cent", () => {
    expect(() => formatCents(1.5)).toThrow(RangeError);
  });
});

describe("parsePriceToCents", () => {
  it("accepts whole and decimal prices", () => {
    expect(parsePriceToCents("10")).toBe(1000);
    expect(parsePriceToCents("9.5")).toBe(950);
    expect(parsePriceToCents(" 9.05 ")).toBe(905);
    expect(parsePriceToCents("0.99")).toBe(99);
  });

  it("rejects what is not a plain non-negative price", () => {
    for (const bad of ["", "-1", "1.999", "1e3", "abc", "1,50", ".5", "12345678901"]) {
      expect(parsePriceToCents(bad), bad).toBeNull();
    }
  });

  it("round-trips with formatCents", () => {
    for (const cents of [0, 1, 99, 100, 1999, 123_456]) {
      expect(parsePriceToCents(formatCents(cents))).toBe(cents);
    }
  });
});
