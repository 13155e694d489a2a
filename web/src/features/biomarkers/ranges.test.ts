import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { chooseRange } from "./ranges";

describe("chooseRange", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-03-29T10:00:00Z")); // the day London moves to summer time
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a day is local midnight to midnight, hourly, across a DST change", () => {
    const { period, bucket } = chooseRange("day", "Europe/London", false);
    expect(period).toEqual({ from: "2026-03-29T00:00:00Z", to: "2026-03-30T00:00:00+01:00" });
    expect(bucket).toBe("hour");
  });

  it("a week of an averaged type stays hourly, a summed type goes daily", () => {
    expect(chooseRange("week", "America/New_York", false).bucket).toBe("hour");
    const summed = chooseRange("week", "America/New_York", true);
    expect(summed.bucket).toBe("day");
    expect(summed.period.from).toBe("2026-03-23T00:00:00-04:00");
  });

  it("a custom range includes its last day; long ranges use weeks", () => {
    const custom = chooseRange("custom", "UTC", false, { from: "2026-01-01", to: "2026-01-31" });
    expect(custom.period).toEqual({ from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" });
    expect(custom.bucket).toBe("day");
    expect(chooseRange("custom", "UTC", false, { from: "2025-01-01", to: "2025-12-31" }).bucket).toBe("week");
  });
});
