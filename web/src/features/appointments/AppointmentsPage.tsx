import { Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCalendarDown, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router";

import { errorMessage } from "../../api/errors";
import { LoadMore } from "../../components/LoadMore";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorState, LoadingState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime, formatTime } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { CancelAppointmentDialog, RescheduleDialog } from "./AppointmentDialogs";
import { downloadCalendar, usePastAppointments, useUpcomingAppointments, type Appointment } from "./api";
import { providerName, providerSpecialization } from "./words";

function AppointmentItem({
  appointment,
  timeZone,
  children,
}: {
  appointment: Appointment;
  timeZone: string;
  children?: React.ReactNode;
}) {
  const specialization = providerSpecialization(appointment);
  return (
    <Card withBorder component="li">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={4}>
          <Group gap="xs">
            <Text fw={600}>
              {formatDateTime(appointment.start_time, timeZone)} – {formatTime(appointment.end_time, timeZone)}
            </Text>
            <StatusBadge status={appointment.status} />
          </Group>
          <Text size="sm">
            {providerName(appointment)}
            {specialization ? ` · ${specialization}` : ""}
            {appointment.location ? ` · ${appointment.location}` : ""}
          </Text>
          {appointment.reason ? (
            <Text size="sm" c="dimmed">
              {appointment.reason}
            </Text>
          ) : null}
          {appointment.cancellation_reason ? <Text size="sm">Cancelled: {appointment.cancellation_reason}</Text> : null}
        </Stack>
        {children}
      </Group>
    </Card>
  );
}

function calendarButton(appointment: Appointment) {
  return (
    <Button
      size="xs"
      variant="default"
      leftSection={<IconCalendarDown size={14} aria-hidden />}
      onClick={() => {
        downloadCalendar(appointment.id).catch((error: unknown) =>
          notifications.show({ color: "red", message: errorMessage(error) }),
        );
      }}
    >
      Calendar file
    </Button>
  );
}

export function AppointmentsPage() {
  const { timeZone } = usePreferences();
  const upcoming = useUpcomingAppointments(20, false);
  const past = usePastAppointments();
  const [cancelling, setCancelling] = useState<Appointment | null>(null);
  const [moving, setMoving] = useState<Appointment | null>(null);
  const upcomingItems = upcoming.data?.pages.flatMap((page) => page.items) ?? [];
  const pastItems = past.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Appointments"
        actions={
          <Button component={Link} to="/appointments/book" leftSection={<IconPlus size={16} aria-hidden />}>
            Book an appointment
          </Button>
        }
      />
      <Stack gap="xl">
        <section aria-labelledby="upcoming-heading">
          <Title order={2} fz="lg" mb="sm" id="upcoming-heading">
            Upcoming
          </Title>
          {upcoming.isPending ? (
            <LoadingState label="Loading appointments…" />
          ) : upcoming.error ? (
            <ErrorState error={upcoming.error} onRetry={() => void upcoming.refetch()} />
          ) : upcomingItems.length === 0 ? (
            <EmptyState>No upcoming appointments.</EmptyState>
          ) : (
            <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
              {upcomingItems.map((appointment) => (
                <AppointmentItem key={appointment.id} appointment={appointment} timeZone={timeZone}>
                  {appointment.status !== "scheduled" ? (
                    calendarButton(appointment)
                  ) : (
                    <Group gap="xs">
                      {calendarButton(appointment)}
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => {
                          setMoving(appointment);
                        }}
                      >
                        Reschedule
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        color="red"
                        onClick={() => {
                          setCancelling(appointment);
                        }}
                      >
                        Cancel
                      </Button>
                    </Group>
                  )}
                </AppointmentItem>
              ))}
            </Stack>
          )}
          <LoadMore
            hasNextPage={upcoming.hasNextPage}
            isFetchingNextPage={upcoming.isFetchingNextPage}
            fetchNextPage={upcoming.fetchNextPage}
          />
        </section>
        <section aria-labelledby="past-heading">
          <Title order={2} fz="lg" mb="sm" id="past-heading">
            Past
          </Title>
          {past.isPending ? (
            <LoadingState label="Loading appointments…" />
          ) : past.error ? (
            <ErrorState error={past.error} onRetry={() => void past.refetch()} />
          ) : pastItems.length === 0 ? (
            <EmptyState>No past appointments.</EmptyState>
          ) : (
            <Stack component="ul" gap="sm" p={0} m={0} style={{ listStyle: "none" }}>
              {pastItems.map((appointment) => (
                <AppointmentItem key={appointment.id} appointment={appointment} timeZone={timeZone}>
                  {calendarButton(appointment)}
                </AppointmentItem>
              ))}
            </Stack>
          )}
          <LoadMore
            hasNextPage={past.hasNextPage}
            isFetchingNextPage={past.isFetchingNextPage}
            fetchNextPage={past.fetchNextPage}
          />
        </section>
      </Stack>
      <CancelAppointmentDialog
        appointment={cancelling}
        timeZone={timeZone}
        onClose={() => {
          setCancelling(null);
        }}
      />
      <RescheduleDialog
        appointment={moving}
        timeZone={timeZone}
        onClose={() => {
          setMoving(null);
        }}
      />
    </>
  );
}
