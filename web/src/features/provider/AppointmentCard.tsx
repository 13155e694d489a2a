import { Button, Card, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";

import { errorMessage } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime, formatTime } from "../../lib/time";
import { CancelAppointmentDialog, RescheduleDialog } from "../appointments/AppointmentDialogs";
import { useConfirmAppointment, useDeclineAppointment, useUpdateAppointment, type Appointment } from "./api";
import { patientName } from "./logic";

/** One appointment with what the provider can do with it now. */
export function AppointmentCard({
  appointment,
  timeZone,
  showPatient = true,
  timeOnly = false,
}: {
  appointment: Appointment;
  timeZone: string;
  showPatient?: boolean;
  timeOnly?: boolean;
}) {
  const [dialog, setDialog] = useState<"decline" | "notes" | "cancel" | "move" | null>(null);
  const confirm = useConfirmAppointment();
  const update = useUpdateAppointment();
  const [now] = useState(() => Date.now());
  const started = Date.parse(appointment.start_time) <= now;
  const when = timeOnly
    ? `${formatTime(appointment.start_time, timeZone)}–${formatTime(appointment.end_time, timeZone)}`
    : formatDateTime(appointment.start_time, timeZone);
  const close = () => {
    setDialog(null);
  };
  const mark = (status: "completed" | "no_show") => {
    update.mutate(
      { id: appointment.id, status },
      {
        onSuccess: () =>
          notifications.show({
            color: "teal",
            message: status === "completed" ? "Marked completed" : "Marked no-show",
          }),
        onError: (error) => notifications.show({ color: "red", message: errorMessage(error) }),
      },
    );
  };
  return (
    <Card component="li" withBorder padding="sm">
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Text fw={600}>{when}</Text>
          {showPatient ? <Text>{patientName(appointment.patient)}</Text> : null}
          <StatusBadge status={appointment.status} />
        </Group>
        <Text size="sm">{appointment.reason}</Text>
        {appointment.cancellation_reason ? (
          <Text size="sm" c="dimmed">
            Reason given: {appointment.cancellation_reason}
          </Text>
        ) : null}
        {appointment.provider_notes ? <Text size="sm">Private notes: {appointment.provider_notes}</Text> : null}
        <Group gap="xs" wrap="wrap">
          {appointment.status === "requested" ? (
            <>
              <Button
                size="xs"
                loading={confirm.isPending}
                onClick={() => {
                  confirm.mutate(appointment.id, {
                    onSuccess: () => notifications.show({ color: "teal", message: "Appointment confirmed" }),
                    onError: (error) => notifications.show({ color: "red", message: errorMessage(error) }),
                  });
                }}
              >
                Confirm
              </Button>
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  setDialog("decline");
                }}
              >
                Decline
              </Button>
            </>
          ) : null}
          {appointment.status === "scheduled" && started ? (
            <>
              <Button
                size="xs"
                onClick={() => {
                  mark("completed");
                }}
              >
                Mark completed
              </Button>
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  mark("no_show");
                }}
              >
                Mark no-show
              </Button>
            </>
          ) : null}
          {appointment.status === "scheduled" && !started ? (
            <>
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  setDialog("move");
                }}
              >
                Reschedule
              </Button>
              <Button
                size="xs"
                variant="default"
                onClick={() => {
                  setDialog("cancel");
                }}
              >
                Cancel
              </Button>
            </>
          ) : null}
          <Button
            size="xs"
            variant="subtle"
            onClick={() => {
              setDialog("notes");
            }}
          >
            Private notes
          </Button>
        </Group>
      </Stack>
      <Modal opened={dialog === "decline"} onClose={close} title="Decline the request" centered>
        {dialog === "decline" ? <DeclineForm appointment={appointment} timeZone={timeZone} onClose={close} /> : null}
      </Modal>
      <Modal opened={dialog === "notes"} onClose={close} title="Private notes" centered>
        {dialog === "notes" ? <NotesForm appointment={appointment} onClose={close} /> : null}
      </Modal>
      <CancelAppointmentDialog
        appointment={dialog === "cancel" ? appointment : null}
        timeZone={timeZone}
        onClose={close}
      />
      <RescheduleDialog appointment={dialog === "move" ? appointment : null} timeZone={timeZone} onClose={close} />
    </Card>
  );
}

function DeclineForm({
  appointment,
  timeZone,
  onClose,
}: {
  appointment: Appointment;
  timeZone: string;
  onClose: () => void;
}) {
  const decline = useDeclineAppointment();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!reason.trim()) {
          setError("Give a reason; the patient sees it.");
          return;
        }
        decline.mutate(
          { id: appointment.id, reason: reason.trim() },
          {
            onSuccess: () => {
              notifications.show({ color: "teal", message: "Request declined" });
              onClose();
            },
          },
        );
      }}
    >
      <Stack>
        <Text>
          {patientName(appointment.patient)}, {formatDateTime(appointment.start_time, timeZone)}
        </Text>
        <FormError>{decline.error ? errorMessage(decline.error) : null}</FormError>
        <Textarea
          label="Reason"
          required
          autosize
          minRows={2}
          maxLength={2000}
          value={reason}
          error={error}
          onChange={(event) => {
            setReason(event.currentTarget.value);
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep the request
          </Button>
          <Button type="submit" color="red" loading={decline.isPending}>
            Decline request
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function NotesForm({ appointment, onClose }: { appointment: Appointment; onClose: () => void }) {
  const update = useUpdateAppointment();
  const [notes, setNotes] = useState(appointment.provider_notes ?? "");
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        update.mutate(
          { id: appointment.id, provider_notes: notes.trim() || null },
          {
            onSuccess: () => {
              notifications.show({ color: "teal", message: "Notes saved" });
              onClose();
            },
          },
        );
      }}
    >
      <Stack>
        <Text size="sm">Only you and administrators see these notes; the patient never does.</Text>
        <FormError>{update.error ? errorMessage(update.error) : null}</FormError>
        <Textarea
          label="Notes"
          autosize
          minRows={3}
          maxLength={8000}
          value={notes}
          onChange={(event) => {
            setNotes(event.currentTarget.value);
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={update.isPending}>
            Save notes
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
