import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";

import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime } from "../../lib/time";
import { formatValue } from "../../lib/units";
import { useOpenAlerts } from "../alerts/api";
import { useUpcomingAppointments } from "../appointments/api";
import { providerName } from "../appointments/words";
import { useSession } from "../auth/session";
import { useCurrentReadings } from "../biomarkers/api";
import { useDisplayUnits } from "../biomarkers/useDisplayUnits";
import { GoalProgressSummary } from "../goals/GoalCard";
import { useGoals } from "../goals/api";
import { goalTitle } from "../goals/words";
import { useUnreadNotifications } from "../notifications/api";
import { usePreferences } from "../profile/api";

function Section({
  title,
  link,
  linkLabel,
  children,
}: {
  title: string;
  link: string;
  linkLabel: string;
  children: ReactNode;
}) {
  const id = `section-${link.replace(/\W/g, "")}`;
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="lg" id={id}>
          {title}
        </Title>
        <Anchor component={Link} to={link} size="sm">
          {linkLabel}
        </Anchor>
      </Group>
      {children}
    </Card>
  );
}

function LatestValues() {
  const current = useCurrentReadings();
  const { timeZone } = usePreferences();
  const { unitFor, nameOf } = useDisplayUnits();
  return (
    <Section title="Latest values" link="/vitals" linkLabel="All vitals">
      <QueryState
        query={current}
        isEmpty={(data) => data.readings.length === 0}
        empty="No readings yet. Add one, or register a device."
      >
        {(data) => (
          <SimpleGrid
            cols={{ base: 1, xs: 2, md: 3 }}
            spacing="sm"
            component="ul"
            p={0}
            m={0}
            style={{ listStyle: "none" }}
          >
            {data.readings.map((reading) => (
              <Card key={reading.biomarker_type} withBorder padding="sm" component="li">
                <Anchor component={Link} to={`/vitals/${reading.biomarker_type}`} fw={600} size="sm">
                  {nameOf(reading.biomarker_type)}
                </Anchor>
                <Group gap="xs" mt={4}>
                  <Text fz="lg" fw={700}>
                    {formatValue(reading.value, unitFor(reading.biomarker_type, reading.unit))}
                  </Text>
                  <StatusBadge status={reading.level} />
                </Group>
                <Text size="xs" c="dimmed">
                  {formatDateTime(reading.measured_at, timeZone)}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
        )}
      </QueryState>
    </Section>
  );
}

function OpenAlerts() {
  const alerts = useOpenAlerts(5);
  const { timeZone } = usePreferences();
  const { nameOf } = useDisplayUnits();
  return (
    <Section title="Open alerts" link="/alerts" linkLabel="All alerts">
      <QueryState query={alerts} isEmpty={(page) => page.items.length === 0} empty="No open alerts.">
        {(page) => (
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
            {page.items.map((alert) => (
              <li key={alert.id}>
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  <StatusBadge status={alert.severity} />
                  <div>
                    <Text size="sm" fw={600}>
                      {nameOf(alert.biomarker_type)}
                    </Text>
                    <Text size="sm">{alert.message}</Text>
                    <Text size="xs" c="dimmed">
                      Last {formatDateTime(alert.last_seen_at, timeZone)}
                    </Text>
                  </div>
                </Group>
              </li>
            ))}
          </Stack>
        )}
      </QueryState>
    </Section>
  );
}

function NextAppointments() {
  const upcoming = useUpcomingAppointments(3, true);
  const { timeZone } = usePreferences();
  const firstPage = { ...upcoming, data: upcoming.data?.pages[0] };
  return (
    <Section title="Next appointments" link="/appointments" linkLabel="All appointments">
      <QueryState query={firstPage} isEmpty={(page) => page.items.length === 0} empty="No upcoming appointments.">
        {(page) => (
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
            {page.items.map((appointment) => (
              <li key={appointment.id}>
                <Text size="sm" fw={600}>
                  {formatDateTime(appointment.start_time, timeZone)}
                </Text>
                <Text size="sm">
                  {providerName(appointment)}
                  {appointment.reason ? ` · ${appointment.reason}` : ""}
                </Text>
              </li>
            ))}
          </Stack>
        )}
      </QueryState>
    </Section>
  );
}

function Goals() {
  const goals = useGoals("active");
  return (
    <Section title="Goals" link="/goals" linkLabel="All goals">
      <QueryState query={goals} isEmpty={(page) => page.items.length === 0} empty="No active goals.">
        {(page) => (
          <Stack gap="md" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
            {page.items.slice(0, 4).map((goal) => (
              <li key={goal.id}>
                <Text size="sm" fw={600} mb={4}>
                  {goalTitle(goal)}
                </Text>
                <GoalProgressSummary goal={goal} />
              </li>
            ))}
          </Stack>
        )}
      </QueryState>
    </Section>
  );
}

function UnreadNotifications() {
  const unread = useUnreadNotifications();
  const { timeZone } = usePreferences();
  return (
    <Section title="Unread notifications" link="/notifications" linkLabel="All notifications">
      <QueryState query={unread} isEmpty={(page) => page.items.length === 0} empty="You are all caught up.">
        {(page) => (
          <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: "none" }}>
            {page.items.slice(0, 5).map((item) => (
              <li key={item.id}>
                <Text size="sm" fw={600}>
                  {item.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatDateTime(item.created_at, timeZone)}
                </Text>
              </li>
            ))}
          </Stack>
        )}
      </QueryState>
    </Section>
  );
}

export function DashboardPage() {
  const { state } = useSession();
  const name = state.status === "signed-in" ? state.user.first_name : "";
  return (
    <>
      <PageHeader title={`Hello, ${name}`} description="Your health at a glance." />
      <Stack gap="md">
        <LatestValues />
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <OpenAlerts />
          <NextAppointments />
          <Goals />
          <UnreadNotifications />
        </SimpleGrid>
      </Stack>
    </>
  );
}
