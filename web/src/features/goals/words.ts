import type { Goal } from "./api";

export const GOAL_TYPES = [
  { value: "steps", label: "Steps" },
  { value: "calories", label: "Calories burned" },
  { value: "sleep", label: "Sleep" },
  { value: "heart_rate", label: "Heart rate" },
  { value: "water_intake", label: "Water intake" },
  { value: "custom", label: "Something else" },
] as const;

export const PERIODS = [
  { value: "daily", label: "Each day" },
  { value: "weekly", label: "Each week" },
  { value: "monthly", label: "Each month" },
] as const;

export const DIRECTIONS = [
  { value: "at_least", label: "At least" },
  { value: "at_most", label: "At most" },
] as const;

const PERIOD_NOUN: Record<string, [string, string]> = {
  daily: ["day", "days"],
  weekly: ["week", "weeks"],
  monthly: ["month", "months"],
};

export function periodNoun(period: string, count: number): string {
  const [one, many] = PERIOD_NOUN[period] ?? ["period", "periods"];
  return count === 1 ? one : many;
}

export function goalTitle(goal: Goal): string {
  if (goal.title) return goal.title;
  return GOAL_TYPES.find((type) => type.value === goal.goal_type)?.label ?? goal.goal_type;
}

/** Goals whose progress is entered by hand; the others count readings. */
export function takesManualProgress(goal: Goal): boolean {
  return goal.goal_type === "water_intake" || goal.goal_type === "custom";
}
