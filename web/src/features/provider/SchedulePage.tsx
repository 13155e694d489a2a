import { Button, Card, Group, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import { useMemo, useState } from "react";

import { CardList } from "../../components/CardList";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryState } from "../../components/QueryState";
import { addDays, formatCalendarDate, startOfDayIso, todayIn } from "../../lib/time";
import { AppointmentCard } from "./AppointmentCard";
import { useAppointmentRequests, useCalendar, useMySchedule } from "./api";
import { byLocalDay, calendarDays } from "./logic";
import { WorkingHoursCard } from "./WorkingHoursCard";

function Calendar({ timeZone }: { timeZone: string }) {
  const [view, setView] = useState<"day" | "week">("week");
  const [date, setDate] = useState(() => todayIn(timeZone));
  const days = useMemo(() => calendarDays(view, date), [view, date]);
  const period = useMemo(
    () => ({
      from: startOfDayIso(days[0] ?? date, timeZone),
      to: startOfDayIso(addDays(days.at(-1) ?? date, 1), timeZone),
    }),
    [days, date, timeZone],
  );
  const calendar = useCalendar(period);
  const step = view === "day" ? 1 : 7;
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} fz="lg">
          Calendar
        </Title>
        <Group gap="xs" wrap="wrap" align="flex-end">
          <SegmentedControl
            aria-label="Calendar view"
            value={view}
            onChange={(value) => {
              setView(value);
            }}
            data={[
              { value: "day", label: "Day" },
              { value: "week", label: "Week" },
            ]}
          />
          <Button
            variant="default"
            onClick={() => {
              setDate(addDays(date, -step));
            }}
          >
            Previous {view}
          </Button>
          <Button
            variant="default"
            onClick={() => {
              setDate(todayIn(timeZone));
            }}
          >
            Today
          </Button>
          <Button
            variant="default"
            onClick={() => {
              setDate(addDays(date, step));
            }}
          >
            Next {view}
          </Button>
          <TextInput
            label="Go to date"
            type="date"
            value={date}
            onChange={(event) => {
              if (event.currentTarget.value) setDate(event.currentTarget.value);
            }}
          />
        </Group>
      </Group>
      <QueryState query={calendar} loadingLabel="Loading the calendar…">
        {(data) => {
          const grouped = byLocalDay(data.items, days, timeZone);
          return (
            <Stack gap="md">
              {days.map((day) => {
                const items = grouped.get(day) ?? [];
                return (
                  <section key={day} aria-labelledby={`day-${day}`}>
                    <Title order={3} fz="md" id={`day-${day}`} mb={6}>
                      {new Intl.DateTimeFormat(undefined, { weekday: "long", timeZone: "UTC" }).format(
                        new Date(`${day}T00:00:00Z`),
                      )}{" "}
                      {formatCalendarDate(day)}
                    </Title>
                    {items.length ? (
                      <CardList label={`Appointments on ${formatCalendarDate(day)}`}>
                        {items.map((appointment) => (
                          <AppointmentCard
                            key={appointment.id}
                            appointment={appointment}
                            timeZone={timeZone}
                            timeOnly
                          />
                        ))}
                      </CardList>
                    ) : (
                      <Text size="sm" c="dimmed">
                        No appointments.
                      </Text>
                    )}
                  </section>
                );
              })}
            </Stack>
          );
        }}
      </QueryState>
    </Card>
  );
}

function Requests({ timeZone }: { timeZone: string }) {
  const requests = useAppointmentRequests();
  return (
    <Card withBorder>
      <Title order={2} fz="lg" mb="sm">
        Appointment requests
      </Title>
      <QueryState query={requests} loadingLabel="Loading requests…">
        {(data) =>
          data.items.length ? (
            <CardList label="Appointment requests">
              {data.items.map((appointment) => (
                <AppointmentCard key={appointment.id} appointment={appointment} timeZone={timeZone} />
              ))}
            </CardList>
          ) : (
            <EmptyState>No requests are waiting for an answer.</EmptyState>
          )
        }
      </QueryState>
    </Card>
  );
}

/** My week: requests to answer, the day/week calendar, and my working hours. Times are in the
 * schedule's time zone, so the calendar matches the working hours. */
export function SchedulePage() {
  const schedule = useMySchedule();
  return (
    <>
      <PageHeader title="Schedule" description="Your appointments, requests and working hours." />
      <QueryState query={schedule} loadingLabel="Loading your schedule…">
        {(data) => (
          <SimpleGrid cols={{ base: 1, lg: 1 }} spacing="lg">
            <Text size="sm">Times are shown in your schedule's time zone, {data.timezone}.</Text>
            <Requests timeZone={data.timezone} />
            <Calendar timeZone={data.timezone} />
            <WorkingHoursCard key={JSON.stringify(data)} schedule={data} />
          </SimpleGrid>
        )}
      </QueryState>
    </>
  );
}
