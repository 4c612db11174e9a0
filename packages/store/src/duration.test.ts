import { describe, expect, it } from "vitest";
import { formatDuration, MAX_DURATION_MS, parseDuration } from "./duration.js";

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

  it("refuses durations past the maximum: 100 years unless the caller gives one", () => {
    expect(parseDuration("36500d")).toBe(MAX_DURATION_MS);
    // Far past what a Date (or a PostgreSQL timestamp) holds once added to now.
    for (const bad of ["36501d", "99999999d", "1w36500d", `${"9".repeat(400)}d`]) {
      expect(() => parseDuration(bad, "--since"), bad).toThrow(
        `invalid --since "${bad}": must be at most 36500d`,
      );
    }
    expect(parseDuration("7d", "--grace", 7 * 86_400_000)).toBe(7 * 86_400_000);
    expect(() => parseDuration("7d1ms", "--grace", 7 * 86_400_000)).toThrow(
      'invalid --grace "7d1ms": must be at most 7d',
    );
  });

  it("formats durations compactly", () => {
    expect(formatDuration(850)).toBe("850ms");
    expect(formatDuration(90_000)).toBe("1m 30s");
    expect(formatDuration(3_600_000)).toBe("1h");
    expect(formatDuration(93_784_000)).toBe("1d 2h");
  });
});
