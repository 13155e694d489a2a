import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { Link } from "react-router";

import { BarChart } from "../../components/BarChart";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { formatDate, formatDateTime } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { useAdminStats } from "./api";
import { countRows, total, userRows } from "./words";

function Figure({
  label,
  value,
  link,
  linkLabel,
}: {
  label: string;
  value: number;
  link?: string;
  linkLabel?: string;
}) {
  return (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={32} fw={700} lh={1.2}>
        {value}
      </Text>
      {link ? (
        <Anchor component={Link} to={link} size="sm">
          {linkLabel}
        </Anchor>
      ) : null}
    </Card>
  );
}

function ChartCard({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Title order={2} fz="lg" mb="sm" id={id}>
        {title}
      </Title>
      {children}
    </Card>
  );
}

export function OverviewPage() {
  const stats = useAdminStats();
  const { timeZone } = usePreferences();
  return (
    <>
      <PageHeader title="Overview" description="The clinic at a glance." />
      <QueryState query={stats} loadingLabel="Loading the figures…">
        {(data) => {
          const users = Object.values(data.users).reduce((sum, byStatus) => sum + total(byStatus), 0);
          const failed = data.jobs.failed ?? 0;
          return (
            <Stack gap="lg">
              <SimpleGrid cols={{ base: 1, xs: 2, lg: 5 }}>
                <Figure label="Users" value={users} link="/admin/users" linkLabel="Find users" />
                <Figure
                  label="Appointments this week"
                  value={total(data.appointments_this_week)}
                  link="/admin/appointments"
                  linkLabel="See appointments"
                />
                <Figure label="Open alerts" value={total(data.open_alerts)} />
                <Figure label="Readings in the last 24 hours" value={data.readings_last_24h} />
                <Figure
                  label="Failed background jobs"
                  value={failed}
                  link="/admin/jobs"
                  linkLabel={failed > 0 ? "Retry failed jobs" : "See jobs"}
                />
              </SimpleGrid>
              <SimpleGrid cols={{ base: 1, md: 3 }}>
                <ChartCard id="users-chart" title="Users by role and status">
                  <BarChart caption="Users by role and status" rows={userRows(data.users)} valueLabel="Users" />
                </ChartCard>
                <ChartCard id="week-chart" title="Appointments this week">
                  <Text size="sm" c="dimmed" mb="xs">
                    {formatDate(data.week.start, "UTC")} to{" "}
                    {formatDate(new Date(Date.parse(data.week.end) - 1).toISOString(), "UTC")} (UTC weeks, Monday first)
                  </Text>
                  <BarChart
                    caption="Appointments this week by status"
                    rows={countRows(data.appointments_this_week, ["scheduled", "completed", "cancelled", "no_show"])}
                    valueLabel="Appointments"
                    color="blue"
                  />
                </ChartCard>
                <ChartCard id="alerts-chart" title="Open alerts by severity">
                  <BarChart
                    caption="Open alerts by severity"
                    rows={countRows(data.open_alerts, ["critical", "warning"])}
                    valueLabel="Alerts"
                    color="red"
                  />
                </ChartCard>
              </SimpleGrid>
              <ChartCard id="jobs-chart" title="Background jobs by status">
                <BarChart
                  caption="Background jobs by status"
                  rows={countRows(data.jobs, ["pending", "running", "done", "failed"])}
                  valueLabel="Jobs"
                  color="gray"
                />
              </ChartCard>
              <Group>
                <Text size="sm" c="dimmed">
                  Figures as of {formatDateTime(data.generated_at, timeZone)}.
                </Text>
              </Group>
            </Stack>
          );
        }}
      </QueryState>
    </>
  );
}
