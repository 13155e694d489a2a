import { Button, Card, Group, Radio, SegmentedControl, Stack, Text, TextInput, Textarea, Title } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { useNavigate } from "react-router";

import { ApiError, errorMessage } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { addDays, formatDateTime, todayIn } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { SlotPicker } from "./SlotPicker";
import { useBookAppointment, useProviderDirectory } from "./api";

export function BookAppointmentPage() {
  const navigate = useNavigate();
  const { timeZone } = usePreferences();
  const [search, setSearch] = useState("");
  const [query] = useDebouncedValue(search.trim(), 300);
  const directory = useProviderDirectory(query);
  const [providerId, setProviderId] = useState<string | null>(null);
  const today = todayIn(timeZone);
  const [date, setDate] = useState(addDays(today, 1));
  const [duration, setDuration] = useState(30);
  const [slot, setSlot] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const book = useBookAppointment();
  const provider = directory.data?.items.find((item) => item.id === providerId);

  const submit = () => {
    if (!providerId || !slot) return;
    if (!reason.trim()) {
      setReasonError("Say briefly what the visit is about.");
      return;
    }
    setReasonError(null);
    book.mutate(
      { provider_id: providerId, start_time: slot, duration_minutes: duration, reason: reason.trim() },
      {
        onSuccess: (appointment) => {
          notifications.show({
            color: "teal",
            title: "Appointment booked",
            message: formatDateTime(appointment.start_time, timeZone),
          });
          void navigate("/appointments");
        },
        onError: (error) => {
          const fields = error instanceof ApiError ? error.fieldErrors() : {};
          if (fields.reason) setReasonError(fields.reason);
        },
      },
    );
  };

  return (
    <>
      <PageHeader title="Book an appointment" description="Find a provider, pick a day and a free time." />
      <Stack gap="lg">
        <Card withBorder>
          <Title order={2} fz="lg" mb="sm">
            1. Provider
          </Title>
          <TextInput
            label="Search by name or specialty"
            value={search}
            onChange={(event) => {
              setSearch(event.currentTarget.value);
            }}
            mb="sm"
            w={{ base: "100%", sm: 360 }}
          />
          <QueryState
            query={directory}
            isEmpty={(page) => page.items.length === 0}
            empty="No provider matches this search."
          >
            {(page) => (
              <Radio.Group
                label="Providers"
                value={providerId}
                onChange={(value) => {
                  setProviderId(value);
                  setSlot(null);
                }}
              >
                <Stack gap="xs" mt="xs">
                  {page.items.map((item) => (
                    <Radio
                      key={item.id}
                      value={item.id}
                      label={`Dr ${item.first_name} ${item.last_name}`}
                      description={item.specialization ?? "General practice"}
                    />
                  ))}
                </Stack>
              </Radio.Group>
            )}
          </QueryState>
        </Card>

        {providerId ? (
          <Card withBorder>
            <Title order={2} fz="lg" mb="sm">
              2. Day and time
            </Title>
            <Stack>
              <SegmentedControl
                aria-label="Length of the visit"
                value={String(duration)}
                onChange={(value) => {
                  setDuration(Number(value));
                  setSlot(null);
                }}
                data={[
                  { value: "15", label: "15 min" },
                  { value: "30", label: "30 min" },
                  { value: "60", label: "1 hour" },
                ]}
                w="fit-content"
              />
              <SlotPicker
                providerId={providerId}
                date={date}
                onDateChange={setDate}
                minDate={today}
                duration={duration}
                value={slot}
                onChange={setSlot}
                timeZone={timeZone}
              />
            </Stack>
          </Card>
        ) : null}

        {providerId && slot ? (
          <Card withBorder>
            <Title order={2} fz="lg" mb="sm">
              3. Reason
            </Title>
            <Stack>
              <Text>
                {provider ? `Dr ${provider.first_name} ${provider.last_name}` : "Your provider"},{" "}
                {formatDateTime(slot, timeZone)} ({duration} minutes)
              </Text>
              <Textarea
                label="What is the visit about?"
                required
                autosize
                minRows={2}
                maxLength={2000}
                value={reason}
                error={reasonError}
                onChange={(event) => {
                  setReason(event.currentTarget.value);
                }}
              />
              <FormError>
                {book.error && !(book.error instanceof ApiError && book.error.status === 422)
                  ? errorMessage(book.error)
                  : null}
              </FormError>
              <Group>
                <Button onClick={submit} loading={book.isPending}>
                  Book this time
                </Button>
              </Group>
            </Stack>
          </Card>
        ) : null}
      </Stack>
    </>
  );
}
