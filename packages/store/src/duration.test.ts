import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it("reads whole numbers with units, alone or combined", () => {
    expect(parseDuration("250ms")).toBe(250);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("15m")).toBe(900_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("30d")).toBe(30 * 86_400_000);
    expect(parseDuration("2w")).toBe(14 * 86_400_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration(" 1d ")).toBe(86_400_000);
  });

  it("refuses anything else, naming the text", () => {
    for (const bad of ["", "30", "1.5h", "-1d", "1 h", "1y", "h", "1h-", "10 days", "1e3s"]) {
      expect(() => parseDuration(bad, "--expires-in"), bad).toThrow(
        `invalid --expires-in "${bad}"`,
      );
    }
    expect(() => parseDuration("0s")).toThrow(/longer than 0/);
  });

  it("formats durations compactly", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(90_000)).toBe("1m 30s");
    expect(formatDuration(3_600_000)).toBe("1h");
    expect(formatDuration(93_784_000)).toBe("1d 2h");
  });
});
