import { Alert, Anchor, Badge, Button, Card, Group, Stack, Tabs, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertOctagon, IconDownload, IconPrinter } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router";

import { ApiError, errorMessage } from "../../api/errors";
import { CardList } from "../../components/CardList";
import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { ErrorState, LoadingState } from "../../components/QueryState";
import { addDays, formatCalendarDate, formatDateTime, startOfDayIso, todayIn } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { AppointmentCard } from "./AppointmentCard";
import { ChartAlerts } from "./ChartAlerts";
import { ChartPrescriptions } from "./ChartPrescriptions";
import { ChartVitals } from "./ChartVitals";
import { downloadPatientReport, usePatient, usePatientAppointments, type PatientSummary } from "./api";
import { ageOn, patientName, timeLeft } from "./logic";

/** The banner of an emergency access: why it is open and how long it has left. */
export function EmergencyBanner({ until, timeZone }: { until: string; timeZone: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => {
      setNow(Date.now());
    }, 30_000);
    return () => {
      window.clearInterval(timer);
    };
  }, []);
  return (
    <Alert color="red" variant="light" icon={<IconAlertOctagon aria-hidden />} title="Emergency access" mb="md">
      You are seeing this record without the patient's consent. Access ends {formatDateTime(until, timeZone)} (
      <strong>{timeLeft(until, now)}</strong>). Everything you open is audited and the patient has been told.
    </Alert>
  );
}

function ChartHeader({ patient, today }: { patient: PatientSummary; today: string }) {
  return (
    <Card withBorder mb="md">
      <Group gap="xl" wrap="wrap">
        <Text>
          <Text span c="dimmed">
            Age{" "}
          </Text>
          <strong>{patient.date_of_birth ? ageOn(patient.date_of_birth, today) : "unknown"}</strong>
        </Text>
        <Text>
          <Text span c="dimmed">
            Date of birth{" "}
          </Text>
          <strong>{patient.date_of_birth ? formatCalendarDate(patient.date_of_birth) : "not given"}</strong>
        </Text>
        {patient.gender ? (
          <Text>
            <Text span c="dimmed">
              Gender{" "}
            </Text>
            <strong>{patient.gender}</strong>
          </Text>
        ) : null}
        <Group gap="xs">
          <Text c="dimmed">Conditions</Text>
          {patient.health_conditions?.length ? (
            patient.health_conditions.map((condition) => (
              <Badge key={condition} variant="outline" color="gray" c="var(--mantine-color-text)" tt="none">
                {condition}
              </Badge>
            ))
          ) : (
            <Text>none recorded</Text>
          )}
        </Group>
      </Group>
    </Card>
  );
}

function ChartReport({ patientId, timeZone }: { patientId: string; timeZone: string }) {
  const today = todayIn(timeZone);
  const [from, setFrom] = useState(addDays(today, -29));
  const [to, setTo] = useState(today);
  const [busy, setBusy] = useState(false);
  return (
    <Stack maw={520}>
      <Text>A printable PDF health report of the period: readings, alerts, goals, appointments and prescriptions.</Text>
      <Group grow wrap="wrap">
        <TextInput
          label="From"
          type="date"
          value={from}
          max={to}
          onChange={(event) => {
            setFrom(event.currentTarget.value);
          }}
        />
        <TextInput
          label="To"
          type="date"
          value={to}
          min={from}
          max={today}
          onChange={(event) => {
            setTo(event.currentTarget.value);
          }}
        />
      </Group>
      <Button
        w="fit-content"
        leftSection={<IconDownload size={16} aria-hidden />}
        loading={busy}
        onClick={() => {
          setBusy(true);
          downloadPatientReport(patientId, {
            from: startOfDayIso(from, timeZone),
            to: startOfDayIso(addDays(to, 1), timeZone),
          })
            .catch((error: unknown) => notifications.show({ color: "red", message: errorMessage(error) }))
            .finally(() => {
              setBusy(false);
            });
        }}
      >
        Download the report (PDF)
      </Button>
    </Stack>
  );
}

function ChartAppointments({ patientId, timeZone }: { patientId: string; timeZone: string }) {
  const appointments = usePatientAppointments(patientId);
  return (
    <PagedList
      query={appointments}
      loadingLabel="Loading appointments…"
      empty="No appointments with this patient."
      moreLabel="Show older appointments"
    >
      {(items) => (
        <CardList label="Appointments with this patient">
          {items.map((appointment) => (
            <AppointmentCard key={appointment.id} appointment={appointment} timeZone={timeZone} showPatient={false} />
          ))}
        </CardList>
      )}
    </PagedList>
  );
}

export function PatientChartPage() {
  const { patientId = "" } = useParams();
  const patient = usePatient(patientId);
  const { timeZone } = usePreferences();
  const today = todayIn(timeZone);
  const [tab, setTab] = useState<string | null>("vitals");

  if (patient.isPending) return <LoadingState label="Opening the chart…" />;
  if (patient.error) {
    const notInCare = patient.error instanceof ApiError && patient.error.status === 404;
    return (
      <>
        <PageHeader title="Patient chart" />
        {notInCare ? (
          <Alert color="yellow" variant="light" title="Not in your care">
            This patient is not in your care, or does not exist. In an emergency you can{" "}
            <Anchor component={Link} to={`/provider/emergency-access?patient=${encodeURIComponent(patientId)}`}>
              open emergency access
            </Anchor>
            .
          </Alert>
        ) : (
          <ErrorState error={patient.error} onRetry={() => void patient.refetch()} />
        )}
      </>
    );
  }
  const data = patient.data;
  return (
    <>
      <PageHeader
        title={patientName(data)}
        description="Patient chart"
        actions={
          <Button
            variant="default"
            leftSection={<IconPrinter size={16} aria-hidden />}
            onClick={() => {
              setTab("report");
            }}
          >
            Printable report
          </Button>
        }
      />
      {data.relationship_kind === "emergency" && data.relationship_valid_until ? (
        <EmergencyBanner until={data.relationship_valid_until} timeZone={timeZone} />
      ) : null}
      <ChartHeader patient={data} today={today} />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="vitals">Vitals</Tabs.Tab>
          <Tabs.Tab value="alerts">Alerts</Tabs.Tab>
          <Tabs.Tab value="prescriptions">Prescriptions</Tabs.Tab>
          <Tabs.Tab value="appointments">Appointments</Tabs.Tab>
          <Tabs.Tab value="report">Report</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="vitals">
          <Title order={2} fz="xl" mb="sm">
            Vitals
          </Title>
          <ChartVitals patient={data} timeZone={timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="alerts">
          <Title order={2} fz="xl" mb="sm">
            Alerts
          </Title>
          <ChartAlerts patientId={data.id} timeZone={timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="prescriptions">
          <Title order={2} fz="xl" mb="sm">
            Prescriptions and refill requests
          </Title>
          <ChartPrescriptions patient={data} today={today} timeZone={timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="appointments">
          <Title order={2} fz="xl" mb="sm">
            Appointments
          </Title>
          <ChartAppointments patientId={data.id} timeZone={timeZone} />
        </Tabs.Panel>
        <Tabs.Panel value="report">
          <Title order={2} fz="xl" mb="sm">
            Health report
          </Title>
          <ChartReport patientId={data.id} timeZone={timeZone} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
