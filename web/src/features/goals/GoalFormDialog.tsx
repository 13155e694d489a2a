import { Button, Group, Modal, NumberInput, Select, Stack, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";

import { FormError } from "../../components/FormError";
import { applyApiErrors } from "../../lib/forms";
import { todayIn } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { useCreateGoal, useUpdateGoal, type Goal, type GoalCreate } from "./api";
import { DIRECTIONS, GOAL_TYPES, PERIODS } from "./words";

interface GoalFormDialogProps {
  opened: boolean;
  goal: Goal | null;
  onClose: () => void;
}

/** Create a goal, or edit one (`goal` given). */
export function GoalFormDialog({ opened, goal, onClose }: GoalFormDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={goal ? "Edit the goal" : "New goal"} centered>
      <GoalForm goal={goal} onClose={onClose} />
    </Modal>
  );
}

function GoalForm({ goal, onClose }: Omit<GoalFormDialogProps, "opened">) {
  const { timeZone } = usePreferences();
  const create = useCreateGoal();
  const update = useUpdateGoal();
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      goal_type: goal?.goal_type ?? "steps",
      title: goal?.title ?? "",
      target_value: (goal?.target_value ?? "") as number | string,
      unit: goal?.unit ?? "",
      period: (goal?.period ?? "daily") as NonNullable<GoalCreate["period"]>,
      direction: (goal?.direction ?? "at_least") as NonNullable<GoalCreate["direction"]>,
      start_date: goal?.start_date ?? todayIn(timeZone),
      end_date: goal?.end_date ?? "",
    },
    validate: {
      target_value: (value) => (typeof value === "number" && value > 0 ? null : "Enter a target above 0."),
      unit: (value, values) =>
        values.goal_type === "custom" && !value.trim() ? "Name the unit, e.g. minutes or pages." : null,
      end_date: (value, values) =>
        value && value < values.start_date ? "The end must not be before the start." : null,
    },
  });

  const submit = form.onSubmit((values) => {
    setMessage(null);
    const common = {
      title: values.title.trim() || null,
      target_value: Number(values.target_value),
      period: values.period,
      direction: values.direction,
      start_date: values.start_date,
      end_date: values.end_date || null,
    };
    const onError = (error: unknown) => {
      setMessage(applyApiErrors(form, error));
    };
    const onSuccess = () => {
      notifications.show({ color: "teal", message: goal ? "Goal saved" : "Goal created" });
      onClose();
    };
    if (goal) {
      update.mutate(
        { id: goal.id, ...common, ...(values.unit.trim() ? { unit: values.unit.trim() } : {}) },
        { onSuccess, onError },
      );
    } else {
      create.mutate(
        { ...common, goal_type: values.goal_type, unit: values.unit.trim() || null },
        { onSuccess, onError },
      );
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError>{message}</FormError>
        <Select
          label="What to track"
          data={GOAL_TYPES.map((type) => ({ ...type }))}
          allowDeselect={false}
          disabled={goal !== null}
          {...form.getInputProps("goal_type")}
        />
        <TextInput
          label="Name (optional)"
          placeholder="e.g. Walk more"
          maxLength={200}
          {...form.getInputProps("title")}
        />
        <Group grow align="flex-start">
          <Select
            label="Direction"
            data={DIRECTIONS.map((item) => ({ ...item }))}
            allowDeselect={false}
            {...form.getInputProps("direction")}
          />
          <NumberInput label="Target" min={0} decimalScale={2} required {...form.getInputProps("target_value")} />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label={form.values.goal_type === "custom" ? "Unit" : "Unit (optional)"}
            description={form.values.goal_type === "custom" ? undefined : "Leave empty for the usual unit"}
            maxLength={20}
            required={form.values.goal_type === "custom"}
            {...form.getInputProps("unit")}
          />
          <Select
            label="How often"
            data={PERIODS.map((item) => ({ ...item }))}
            allowDeselect={false}
            {...form.getInputProps("period")}
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput label="Starts" type="date" required {...form.getInputProps("start_date")} />
          <TextInput label="Ends (optional)" type="date" {...form.getInputProps("end_date")} />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {goal ? "Save" : "Create goal"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
