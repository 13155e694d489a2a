import { describe, expect, it } from "vitest";

import type { Summary } from "./api";
import { foldBuckets } from "./stats";

function summary(items: Summary["items"]): Summary {
  return {
    patient_id: "p",
    biomarker_type: "heart_rate",
    unit: "/min",
    bucket: "hour",
    timezone: "UTC",
    start: "",
    end: "",
    items,
    time_in_range: null,
  };
}

describe("foldBuckets", () => {
  it("weights the average by readings and ignores empty buckets", () => {
    const stats = foldBuckets(
      summary([
        { start: "a", count: 1, sum: 60, avg: 60, min: 60, max: 60, in_range: 1 },
        { start: "b", count: 0, sum: 0, avg: null, min: null, max: null, in_range: 0 },
        { start: "c", count: 3, sum: 240, avg: 80, min: 70, max: 95, in_range: 3 },
      ]),
    );
    expect(stats).toEqual({ count: 4, average: 75, lowest: 60, peak: 95, total: 300 });
  });

  it("has no figures without readings", () => {
    expect(foldBuckets(summary([]))).toEqual({ count: 0, average: null, lowest: null, peak: null, total: 0 });
  });
});
