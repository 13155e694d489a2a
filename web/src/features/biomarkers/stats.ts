import type { Summary } from "./api";

export interface PeriodStats {
  count: number;
  average: number | null;
  lowest: number | null;
  peak: number | null;
  total: number;
}

/** Folds the buckets of a summary into the period's figures (count, sum, min and max fold exactly). */
export function foldBuckets(summary: Summary): PeriodStats {
  let count = 0;
  let total = 0;
  let lowest: number | null = null;
  let peak: number | null = null;
  for (const bucket of summary.items) {
    if (bucket.count === 0) continue;
    count += bucket.count;
    total += bucket.sum;
    if (bucket.min !== null) lowest = lowest === null ? bucket.min : Math.min(lowest, bucket.min);
    if (bucket.max !== null) peak = peak === null ? bucket.max : Math.max(peak, bucket.max);
  }
  return { count, average: count ? total / count : null, lowest, peak, total };
}
