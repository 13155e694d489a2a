import { Group, Modal, NumberInput, Select, Stack, TextInput, Textarea } from "@mantine/core";
import { useForm } from "@mantine/form";
import { notifications } from "@mantine/notifications";
import { useState } from "react";

import { DialogActions } from "../../components/DialogActions";
import { FormError } from "../../components/FormError";
import { applyApiErrors } from "../../lib/forms";
import { dayjs, localDateTimeIso } from "../../lib/time";
import { displayUnit, unitSymbol } from "../../lib/units";
import { usePreferences } from "../profile/api";
import { useAddReading, type BiomarkerCode } from "./api";
import { useDisplayUnits } from "./useDisplayUnits";

const FIELD_MAP = {
  "readings.0.type": "type",
  "readings.0.value": "value",
  "readings.0.unit": "unit",
  "readings.0.timestamp": "date",
  "readings.0.notes": "notes",
};

interface AddReadingDialogProps {
  opened: boolean;
  onClose: () => void;
  initialType?: string;
}

/** Manual entry of one reading, in any unit the catalog accepts for the type. */
export function AddReadingDialog({ opened, onClose, initialType }: AddReadingDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title="Add a reading" centered>
      <AddReadingForm onClose={onClose} initialType={initialType} />
    </Modal>
  );
}

/** Mounted while the dialog is open, so every opening starts from fresh defaults. */
function AddReadingForm({ onClose, initialType }: Omit<AddReadingDialogProps, "opened">) {
  const { types } = useDisplayUnits();
  const { timeZone, units } = usePreferences();
  const addReading = useAddReading();
  const [message, setMessage] = useState<string | null>(null);
  const now = dayjs().tz(timeZone);
  const defaultUnit = (code: string) => {
    const type = types.get(code);
    return type ? displayUnit(type, type.unit, units).code : "";
  };
  const form = useForm({
    initialValues: {
      type: initialType ?? "heart_rate",
      value: "" as number | string,
      unit: defaultUnit(initialType ?? "heart_rate"),
      date: now.format("YYYY-MM-DD"),
      time: now.format("HH:mm"),
      notes: "",
    },
    validate: {
      value: (value) => (typeof value === "number" ? null : "Enter a number."),
      unit: (value) => (value ? null : "Choose a unit."),
      date: (value) => (value ? null : "Choose the day."),
      time: (value) => (value ? null : "Choose the time."),
    },
  });
  const type = types.get(form.values.type);
  const typeOptions = [...types.values()].map((item) => ({ value: item.code, label: item.display_name }));
  const unitOptions = (type?.accepted_units ?? []).map((code) => ({ value: code, label: unitSymbol(code, type) }));

  const close = onClose;

  const submit = form.onSubmit((values) => {
    setMessage(null);
    addReading.mutate(
      {
        type: values.type as BiomarkerCode, // the select offers catalog codes only
        value: Number(values.value),
        unit: values.unit,
        timestamp: localDateTimeIso(values.date, values.time, timeZone),
        external_id: null,
        notes: values.notes.trim() || null,
      },
      {
        onSuccess: (result) => {
          notifications.show({
            color: result.faulty ? "yellow" : "teal",
            title: result.faulty ? "Saved, marked as faulty" : "Reading saved",
            message: result.faulty
              ? "The value is outside what a body can measure, so it is kept but left out of charts and alerts."
              : result.duplicates
                ? "A reading at that time was already stored."
                : result.alerts_created
                  ? "The value is outside your range: an alert was opened."
                  : "It now shows in your history and charts.",
          });
          close();
        },
        onError: (error) => {
          setMessage(applyApiErrors(form, error, FIELD_MAP));
        },
      },
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError>{message}</FormError>
        <Select
          label="Measurement"
          data={typeOptions}
          allowDeselect={false}
          {...form.getInputProps("type")}
          onChange={(value: string | null) => {
            if (!value) return;
            form.setFieldValue("type", value);
            form.setFieldValue("unit", defaultUnit(value));
          }}
        />
        <Group grow align="flex-start">
          <NumberInput label="Value" decimalScale={2} required {...form.getInputProps("value")} />
          <Select label="Unit" data={unitOptions} allowDeselect={false} required {...form.getInputProps("unit")} />
        </Group>
        <Group grow align="flex-start">
          <TextInput label="Day" type="date" required {...form.getInputProps("date")} />
          <TextInput label="Time" type="time" required {...form.getInputProps("time")} />
        </Group>
        <Textarea label="Note (optional)" autosize minRows={2} maxLength={1000} {...form.getInputProps("notes")} />
        <DialogActions onCancel={close} submitLabel="Save reading" loading={addReading.isPending} />
      </Stack>
    </form>
  );
}
