import { Button, Card, Checkbox, Group, Select, Stack, Switch, Table, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";

import type { Schemas } from "../../api/client";
import { ApiError, errorMessage } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { ScrollTable } from "../../components/ScrollTable";
import { useSetSchedule, type Schedule } from "./api";

const DAYS = [
  { key: "mon", label: "Monday" },
  { key: "tue", label: "Tuesday" },
  { key: "wed", label: "Wednesday" },
  { key: "thu", label: "Thursday" },
  { key: "fri", label: "Friday" },
  { key: "sat", label: "Saturday" },
  { key: "sun", label: "Sunday" },
] as const;
type DayKey = (typeof DAYS)[number]["key"];
interface DayHours {
  working: boolean;
  start: string;
  end: string;
}

const ZONES: string[] = (() => {
  const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  return supported ? supported("timeZone") : ["UTC", "Europe/London", "America/New_York"];
})();

function fromSchedule(schedule: Schedule): Record<DayKey, DayHours> {
  const entries = DAYS.map(({ key }) => {
    const intervals = schedule.days[key] ?? [];
    const first = intervals.at(0);
    const last = intervals.at(-1);
    return [key, { working: intervals.length > 0, start: first?.start ?? "09:00", end: last?.end ?? "17:00" }];
  });
  return Object.fromEntries(entries) as Record<DayKey, DayHours>;
}

/** Weekly working hours (one period per day), the time zone, and the approval setting. */
export function WorkingHoursCard({ schedule }: { schedule: Schedule }) {
  const save = useSetSchedule();
  const [days, setDays] = useState(() => fromSchedule(schedule));
  const [timeZone, setTimeZone] = useState(schedule.timezone);
  const [approval, setApproval] = useState(schedule.requires_approval);
  const fieldErrors = save.error instanceof ApiError ? save.error.fieldErrors() : {};
  const split = DAYS.some(({ key }) => (schedule.days[key] ?? []).length > 1);
  return (
    <Card withBorder>
      <Title order={2} fz="lg" mb="sm">
        Working hours
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const body = Object.fromEntries(
            DAYS.filter(({ key }) => days[key].working).map(({ key }) => [
              key,
              [{ start: days[key].start, end: days[key].end }],
            ]),
          );
          save.mutate(
            { timezone: timeZone as Schemas["ScheduleUpdate"]["timezone"], days: body, requires_approval: approval },
            {
              onSuccess: () => notifications.show({ color: "teal", message: "Working hours saved" }),
            },
          );
        }}
      >
        <Stack>
          {split ? (
            <Text size="sm">
              Some days have a break; saving here keeps one period per day (first start to last end).
            </Text>
          ) : null}
          <FormError>{save.error ? errorMessage(save.error) : null}</FormError>
          <Select
            label="Time zone"
            searchable
            data={ZONES}
            value={timeZone}
            allowDeselect={false}
            error={fieldErrors.timezone}
            onChange={(value) => {
              if (value) setTimeZone(value);
            }}
            maw={320}
          />
          <ScrollTable label="Working hours per day">
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Day</Table.Th>
                  <Table.Th scope="col">Working</Table.Th>
                  <Table.Th scope="col">From</Table.Th>
                  <Table.Th scope="col">To</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {DAYS.map(({ key, label }) => {
                  const day = days[key];
                  const change = (patch: Partial<DayHours>) => {
                    setDays({ ...days, [key]: { ...day, ...patch } });
                  };
                  return (
                    <Table.Tr key={key}>
                      <Table.Th scope="row">{label}</Table.Th>
                      <Table.Td>
                        <Checkbox
                          aria-label={`${label}: working`}
                          checked={day.working}
                          onChange={(event) => {
                            change({ working: event.currentTarget.checked });
                          }}
                        />
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          type="time"
                          aria-label={`${label}: from`}
                          disabled={!day.working}
                          value={day.start}
                          error={fieldErrors[`days.${key}.0`]}
                          onChange={(event) => {
                            change({ start: event.currentTarget.value });
                          }}
                        />
                      </Table.Td>
                      <Table.Td>
                        <TextInput
                          type="time"
                          aria-label={`${label}: to`}
                          disabled={!day.working}
                          value={day.end}
                          onChange={(event) => {
                            change({ end: event.currentTarget.value });
                          }}
                        />
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          <Switch
            label="Confirm patients' bookings myself"
            description="A patient's booking then waits as a request (holding the time) until you confirm or decline it."
            checked={approval}
            onChange={(event) => {
              setApproval(event.currentTarget.checked);
            }}
          />
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save working hours
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
