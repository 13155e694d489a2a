import { Chip, Group, Stack, Text, TextInput } from "@mantine/core";

import { EmptyState, ErrorState, LoadingState } from "../../components/QueryState";
import { formatTime } from "../../lib/time";
import { useAvailability } from "./api";

interface SlotPickerProps {
  providerId: string;
  date: string;
  onDateChange: (date: string) => void;
  minDate: string;
  duration: number;
  value: string | null;
  onChange: (start: string | null) => void;
  timeZone: string;
}

/** A day, then that day's free slots of the provider, shown in the patient's time zone. */
export function SlotPicker({
  providerId,
  date,
  onDateChange,
  minDate,
  duration,
  value,
  onChange,
  timeZone,
}: SlotPickerProps) {
  const availability = useAvailability(providerId, date, duration);
  return (
    <Stack gap="sm">
      <TextInput
        label="Day"
        type="date"
        min={minDate}
        value={date}
        onChange={(event) => {
          onDateChange(event.currentTarget.value);
          onChange(null);
        }}
        w={200}
      />
      {availability.isPending ? (
        <LoadingState label="Looking for free times…" />
      ) : availability.error ? (
        <ErrorState error={availability.error} onRetry={() => void availability.refetch()} />
      ) : availability.data.slots.length === 0 ? (
        <EmptyState>No free times on this day. Try another day.</EmptyState>
      ) : (
        <>
          <Text size="sm" id="slot-label">
            Free times ({availability.data.slots.length}), in your time zone ({timeZone})
          </Text>
          <Chip.Group
            value={value}
            onChange={(next) => {
              onChange(typeof next === "string" ? next : null);
            }}
          >
            <Group gap="xs" role="radiogroup" aria-labelledby="slot-label">
              {availability.data.slots.map((slot) => (
                <Chip key={slot.start_time} value={slot.start_time} type="radio">
                  {formatTime(slot.start_time, timeZone)}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </>
      )}
    </Stack>
  );
}
