import { Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";

import { FormError } from "../../components/FormError";
import { ApiError, errorMessage } from "../../api/errors";
import { dayjs, formatDateTime, todayIn } from "../../lib/time";
import { SlotPicker } from "./SlotPicker";
import { useChangeAppointment, type Appointment } from "./api";
import { providerName } from "./words";

interface DialogProps {
  appointment: Appointment | null;
  timeZone: string;
  onClose: () => void;
}

export function CancelAppointmentDialog({ appointment, timeZone, onClose }: DialogProps) {
  return (
    <Modal opened={appointment !== null} onClose={onClose} title="Cancel the appointment" centered>
      {appointment ? <CancelForm appointment={appointment} timeZone={timeZone} onClose={onClose} /> : null}
    </Modal>
  );
}

function CancelForm({ appointment, timeZone, onClose }: DialogProps & { appointment: Appointment }) {
  const change = useChangeAppointment();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!reason.trim()) {
          setError("Give a reason; your provider sees it.");
          return;
        }
        change.mutate(
          { id: appointment.id, status: "cancelled", cancellation_reason: reason.trim() },
          {
            onSuccess: () => {
              notifications.show({ color: "teal", message: "Appointment cancelled" });
              onClose();
            },
            onError: (failure) => {
              setError(failure instanceof ApiError ? (failure.fieldErrors().cancellation_reason ?? null) : null);
            },
          },
        );
      }}
    >
      <Stack>
        <Text>
          {providerName(appointment)}, {formatDateTime(appointment.start_time, timeZone)}
        </Text>
        <FormError>
          {change.error && !(change.error instanceof ApiError && change.error.status === 422)
            ? errorMessage(change.error)
            : null}
        </FormError>
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
            Keep the appointment
          </Button>
          <Button type="submit" color="red" loading={change.isPending}>
            Cancel appointment
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function RescheduleDialog({ appointment, timeZone, onClose }: DialogProps) {
  return (
    <Modal opened={appointment !== null} onClose={onClose} title="Move the appointment" centered size="lg">
      {appointment ? <RescheduleForm appointment={appointment} timeZone={timeZone} onClose={onClose} /> : null}
    </Modal>
  );
}

function RescheduleForm({ appointment, timeZone, onClose }: DialogProps & { appointment: Appointment }) {
  const change = useChangeAppointment();
  const today = todayIn(timeZone);
  const [date, setDate] = useState(dayjs(appointment.start_time).tz(timeZone).format("YYYY-MM-DD"));
  const [slot, setSlot] = useState<string | null>(null);
  const duration = Math.round((Date.parse(appointment.end_time) - Date.parse(appointment.start_time)) / 60_000);
  return (
    <Stack>
      <Text>
        {providerName(appointment)}, now {formatDateTime(appointment.start_time, timeZone)} ({duration} minutes)
      </Text>
      <SlotPicker
        providerId={appointment.provider_id}
        date={date}
        onDateChange={setDate}
        minDate={today}
        duration={duration}
        value={slot}
        onChange={setSlot}
        timeZone={timeZone}
      />
      <FormError>{change.error ? errorMessage(change.error) : null}</FormError>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Keep the current time
        </Button>
        <Button
          disabled={!slot}
          loading={change.isPending}
          onClick={() => {
            if (!slot) return;
            change.mutate(
              { id: appointment.id, start_time: slot, duration_minutes: duration },
              {
                onSuccess: (moved) => {
                  notifications.show({
                    color: "teal",
                    title: "Appointment moved",
                    message: formatDateTime(moved.start_time, timeZone),
                  });
                  onClose();
                },
              },
            );
          }}
        >
          Move to this time
        </Button>
      </Group>
    </Stack>
  );
}
