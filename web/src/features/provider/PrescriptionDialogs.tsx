import { Button, Group, Modal, NumberInput, Stack, Text, TextInput, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";

import { ApiError, errorMessage } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { formatCalendarDate } from "../../lib/time";
import { useChangePrescription, useDecideRefill, useWritePrescription, type Prescription } from "./api";

function nonFieldError(error: unknown): string | null {
  if (!error) return null;
  if (error instanceof ApiError && error.status === 422 && error.problem?.errors?.length) return null;
  return errorMessage(error);
}

export function WritePrescriptionDialog({
  patientId,
  patientName,
  today,
  opened,
  onClose,
}: {
  patientId: string;
  patientName: string;
  today: string;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={`Write a prescription for ${patientName}`} centered size="lg">
      {opened ? <WriteForm patientId={patientId} today={today} onClose={onClose} /> : null}
    </Modal>
  );
}

function WriteForm({ patientId, today, onClose }: { patientId: string; today: string; onClose: () => void }) {
  const write = useWritePrescription();
  const [form, setForm] = useState({
    medication_name: "",
    dosage: "",
    instructions: "",
    quantity: 30 as number | string,
    refills_allowed: 0 as number | string,
    start_date: today,
    end_date: "",
  });
  const errors = write.error instanceof ApiError ? write.error.fieldErrors() : {};
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        write.mutate(
          {
            patient_id: patientId,
            medication_name: form.medication_name.trim(),
            dosage: form.dosage.trim(),
            instructions: form.instructions.trim() || null,
            quantity: Number(form.quantity),
            refills_allowed: Number(form.refills_allowed),
            start_date: form.start_date,
            end_date: form.end_date || null,
          },
          {
            onSuccess: (rx) => {
              notifications.show({ color: "teal", message: `Prescription for ${rx.medication_name} written` });
              onClose();
            },
          },
        );
      }}
    >
      <Stack>
        <FormError>{nonFieldError(write.error)}</FormError>
        <TextInput
          label="Medication"
          required
          maxLength={200}
          value={form.medication_name}
          error={errors.medication_name}
          onChange={(event) => {
            setForm({ ...form, medication_name: event.currentTarget.value });
          }}
        />
        <TextInput
          label="Dosage"
          description="For example 10 mg once daily"
          required
          maxLength={200}
          value={form.dosage}
          error={errors.dosage}
          onChange={(event) => {
            setForm({ ...form, dosage: event.currentTarget.value });
          }}
        />
        <Textarea
          label="Instructions"
          autosize
          minRows={2}
          maxLength={2000}
          value={form.instructions}
          error={errors.instructions}
          onChange={(event) => {
            setForm({ ...form, instructions: event.currentTarget.value });
          }}
        />
        <Group grow wrap="wrap">
          <NumberInput
            label="Quantity"
            required
            min={1}
            max={10000}
            value={form.quantity}
            error={errors.quantity}
            onChange={(value) => {
              setForm({ ...form, quantity: value });
            }}
          />
          <NumberInput
            label="Refills allowed"
            min={0}
            max={100}
            value={form.refills_allowed}
            error={errors.refills_allowed}
            onChange={(value) => {
              setForm({ ...form, refills_allowed: value });
            }}
          />
        </Group>
        <Group grow wrap="wrap">
          <TextInput
            label="Start date"
            type="date"
            required
            value={form.start_date}
            error={errors.start_date}
            onChange={(event) => {
              setForm({ ...form, start_date: event.currentTarget.value });
            }}
          />
          <TextInput
            label="End date (optional)"
            type="date"
            min={form.start_date}
            value={form.end_date}
            error={errors.end_date}
            onChange={(event) => {
              setForm({ ...form, end_date: event.currentTarget.value });
            }}
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={write.isPending}>
            Write prescription
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ChangePrescriptionDialog({
  prescription,
  onClose,
}: {
  prescription: Prescription | null;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={prescription !== null}
      onClose={onClose}
      title={prescription ? `Change ${prescription.medication_name}` : "Change the prescription"}
      centered
    >
      {prescription ? <ChangeForm prescription={prescription} onClose={onClose} /> : null}
    </Modal>
  );
}

function ChangeForm({ prescription, onClose }: { prescription: Prescription; onClose: () => void }) {
  const change = useChangePrescription();
  const [instructions, setInstructions] = useState(prescription.instructions ?? "");
  const [endDate, setEndDate] = useState(prescription.end_date ?? "");
  const errors = change.error instanceof ApiError ? change.error.fieldErrors() : {};
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        change.mutate(
          { id: prescription.id, instructions: instructions.trim() || null, end_date: endDate || null },
          {
            onSuccess: () => {
              notifications.show({ color: "teal", message: "Prescription changed" });
              onClose();
            },
          },
        );
      }}
    >
      <Stack>
        <Text size="sm">
          {prescription.dosage} · since {formatCalendarDate(prescription.start_date)}
        </Text>
        <FormError>{nonFieldError(change.error)}</FormError>
        <Textarea
          label="Instructions"
          autosize
          minRows={2}
          maxLength={2000}
          value={instructions}
          error={errors.instructions}
          onChange={(event) => {
            setInstructions(event.currentTarget.value);
          }}
        />
        <TextInput
          label="End date"
          type="date"
          min={prescription.start_date}
          value={endDate}
          error={errors.end_date}
          onChange={(event) => {
            setEndDate(event.currentTarget.value);
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={change.isPending}>
            Save changes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export type RefillAnswer = "approved" | "denied";

/** Approve or deny a pending refill request, with an optional note for the patient. */
export function RefillDecisionDialog({
  target,
  onClose,
}: {
  target: { prescription: Prescription; decision: RefillAnswer } | null;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={target?.decision === "denied" ? "Deny the refill" : "Approve the refill"}
      centered
    >
      {target ? <RefillForm prescription={target.prescription} decision={target.decision} onClose={onClose} /> : null}
    </Modal>
  );
}

function RefillForm({
  prescription,
  decision,
  onClose,
}: {
  prescription: Prescription;
  decision: RefillAnswer;
  onClose: () => void;
}) {
  const decide = useDecideRefill();
  const [note, setNote] = useState("");
  const refill = prescription.latest_refill_request;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!refill) return;
        decide.mutate(
          { prescriptionId: prescription.id, refillId: refill.id, status: decision, note: note.trim() || null },
          {
            onSuccess: () => {
              notifications.show({
                color: "teal",
                message: decision === "approved" ? "Refill approved" : "Refill denied",
              });
              onClose();
            },
          },
        );
      }}
    >
      <Stack>
        <Text>
          {prescription.medication_name}, {prescription.dosage} · {prescription.refills_left} of{" "}
          {prescription.refills_allowed} refills left
        </Text>
        {refill?.note ? <Text size="sm">The patient wrote: {refill.note}</Text> : null}
        <FormError>{decide.error ? errorMessage(decide.error) : null}</FormError>
        <Textarea
          label="Note for the patient (optional)"
          autosize
          minRows={2}
          maxLength={1000}
          value={note}
          onChange={(event) => {
            setNote(event.currentTarget.value);
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" color={decision === "denied" ? "red" : undefined} loading={decide.isPending}>
            {decision === "approved" ? "Approve refill" : "Deny refill"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
