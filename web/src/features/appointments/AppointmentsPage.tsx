import { Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCalendarDown, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router";

import { errorMessage } from "../../api/errors";
import { CardList } from "../../components/CardList";
import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
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
          <PagedList query={upcoming} loadingLabel="Loading appointments…" empty="No upcoming appointments.">
            {(upcomingItems) => (
              <CardList>
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
              </CardList>
            )}
          </PagedList>
        </section>
        <section aria-labelledby="past-heading">
          <Title order={2} fz="lg" mb="sm" id="past-heading">
            Past
          </Title>
          <PagedList query={past} loadingLabel="Loading appointments…" empty="No past appointments.">
            {(pastItems) => (
              <CardList>
                {pastItems.map((appointment) => (
                  <AppointmentItem key={appointment.id} appointment={appointment} timeZone={timeZone}>
                    {calendarButton(appointment)}
                  </AppointmentItem>
                ))}
              </CardList>
            )}
          </PagedList>
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
