import { Card, Group, Progress, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";

import { StatusBadge } from "../../components/StatusBadge";
import { formatCalendarDate } from "../../lib/time";
import { formatNumber, unitSymbol } from "../../lib/units";
import { CATALOG } from "../biomarkers/api";
import type { Goal } from "./api";
import { goalTitle, periodNoun } from "./words";

const PERIOD_WORD: Record<string, string> = { daily: "today", weekly: "this week", monthly: "this month" };

export function GoalProgressSummary({ goal }: { goal: Goal }) {
  const { progress } = goal;
  const percent = Math.min(progress.percent ?? 0, 100);
  const unit = unitSymbol(
    goal.unit,
    CATALOG.find((type) => type.code === goal.goal_type),
  );
  const current = progress.current_value === null ? "no data" : `${formatNumber(progress.current_value)} ${unit}`;
  const direction = goal.direction === "at_most" ? "at most" : "at least";
  const label = `${goalTitle(goal)}: ${current} of ${direction} ${formatNumber(goal.target_value)} ${unit} ${PERIOD_WORD[goal.period] ?? ""}`;
  return (
    <Stack gap={6}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm">
          {current} / {direction} {formatNumber(goal.target_value)} {unit} {PERIOD_WORD[goal.period]}
        </Text>
        {progress.achieved ? (
          <StatusBadge status="completed" label="Achieved" />
        ) : (
          <StatusBadge status="pending" label="Not yet" />
        )}
      </Group>
      <Progress value={percent} aria-label={label} color={progress.achieved ? "teal" : "blue"} />
    </Stack>
  );
}

export function GoalCard({ goal, actions }: { goal: Goal; actions?: ReactNode }) {
  return (
    <Card withBorder component="li">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap">
          <Stack gap={2}>
            <Text fw={600}>{goalTitle(goal)}</Text>
            <Text size="sm" c="dimmed">
              {goal.period === "daily" ? "Daily" : goal.period === "weekly" ? "Weekly" : "Monthly"} goal since{" "}
              {formatCalendarDate(goal.start_date)}
              {goal.end_date ? `, until ${formatCalendarDate(goal.end_date)}` : ""}
            </Text>
          </Stack>
          {goal.status !== "active" ? <StatusBadge status={goal.status} /> : null}
        </Group>
        <GoalProgressSummary goal={goal} />
        <Group gap="lg">
          <Text size="sm">
            <strong>{goal.achieved_in_last_7}</strong> of the last 7 {periodNoun(goal.period, 7)} achieved
          </Text>
          <Text size="sm">
            Current streak: <strong>{goal.streak}</strong> {periodNoun(goal.period, goal.streak)}
          </Text>
        </Group>
        {actions}
      </Stack>
    </Card>
  );
}
