import { addDays, dayjs, startOfDayIso, todayIn } from "../../lib/time";
import type { Bucket, Period } from "./api";

export type RangeKind = "day" | "week" | "month" | "custom";

export interface ChosenRange {
  period: Period;
  bucket: Bucket;
}

/**
 * The period and bucket size of a chart range, in the patient's time zone. Summed types
 * (steps, calories, sleep) use day buckets from a week up; averaged ones stay hourly for a
 * week so that a day's rhythm is visible.
 */
export function chooseRange(
  kind: RangeKind,
  timeZone: string,
  summed: boolean,
  custom?: { from: string; to: string },
): ChosenRange {
  const today = todayIn(timeZone);
  const tomorrow = addDays(today, 1);
  let first = today;
  let afterLast = tomorrow;
  if (kind === "week") first = addDays(today, -6);
  if (kind === "month") first = addDays(today, -29);
  if (kind === "custom" && custom) {
    first = custom.from;
    afterLast = addDays(custom.to, 1);
  }
  const days = dayjs(afterLast).diff(dayjs(first), "day");
  let bucket: Bucket = "day";
  if (days <= 1 || (days <= 7 && !summed)) bucket = "hour";
  else if (days > 120) bucket = "week";
  return { period: { from: startOfDayIso(first, timeZone), to: startOfDayIso(afterLast, timeZone) }, bucket };
}
