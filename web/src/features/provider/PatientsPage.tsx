import { Anchor, Group, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { useDeferredValue, useState } from "react";
import { Link } from "react-router";

import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { ScrollTable } from "../../components/ScrollTable";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate, formatDateTime, todayIn } from "../../lib/time";
import { formatNumber, formatValue } from "../../lib/units";
import { useDisplayUnits } from "../biomarkers/useDisplayUnits";
import { usePreferences } from "../profile/api";
import { usePatientOverview, type PatientOverview } from "./api";
import { ageOn, sortPatients, type PatientSort } from "./logic";

const SORTS = [
  { value: "attention", label: "Needs attention first" },
  { value: "last_name", label: "Last name" },
  { value: "first_name", label: "First name" },
  { value: "age", label: "Age (youngest first)" },
  { value: "next_appointment", label: "Next appointment" },
];

function Vital({ reading, code }: { reading: PatientOverview["heart_rate"]; code: string }) {
  const { unitFor } = useDisplayUnits();
  if (!reading)
    return (
      <Text span c="dimmed">
        –
      </Text>
    );
  return <>{formatValue(reading.value, unitFor(code, reading.unit), 0)}</>;
}

function BloodPressure({ pressure }: { pressure: PatientOverview["blood_pressure"] }) {
  const { systolic, diastolic } = pressure;
  if (!systolic && !diastolic)
    return (
      <Text span c="dimmed">
        –
      </Text>
    );
  const part = (reading: typeof systolic) => (reading ? formatNumber(reading.value, 0) : "–");
  return <>{`${part(systolic)}/${part(diastolic)} mmHg`}</>;
}

function Alerts({ alerts }: { alerts: PatientOverview["open_alerts"] }) {
  if (!alerts.critical && !alerts.warning) return <Text span>None</Text>;
  return (
    <Group gap={4} wrap="nowrap">
      {alerts.critical ? <StatusBadge status="critical" label={`${alerts.critical} critical`} /> : null}
      {alerts.warning ? <StatusBadge status="warning" label={`${alerts.warning} warning`} /> : null}
    </Group>
  );
}

/** The patients in my care at a glance: search by name (server), sort (client), open a chart. */
export function PatientsPage() {
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const [sort, setSort] = useState<PatientSort>("attention");
  const patients = usePatientOverview(q);
  const { timeZone } = usePreferences();
  const today = todayIn(timeZone);
  return (
    <>
      <PageHeader
        title="My patients"
        description="The patients in your care with their latest vitals and open alerts. Open a chart to see their record."
      />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          label="Search by name"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
          }}
          w={260}
        />
        <Select
          label="Sort by"
          data={SORTS}
          value={sort}
          allowDeselect={false}
          onChange={(value) => {
            if (value) setSort(value as PatientSort);
          }}
          w={240}
        />
      </Group>
      <PagedList
        query={patients}
        loadingLabel="Loading your patients…"
        empty={q ? "No patient in your care matches this name." : "No patients in your care yet."}
        moreLabel="Show more patients"
      >
        {(items) => (
          <ScrollTable label="Patients">
            <Table striped highlightOnHover>
              <Table.Caption>
                {items.length} {items.length === 1 ? "patient" : "patients"}. Latest readings; status from open alerts.
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Patient</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Heart rate</Table.Th>
                  <Table.Th scope="col">Blood pressure</Table.Th>
                  <Table.Th scope="col">Glucose</Table.Th>
                  <Table.Th scope="col">Open alerts</Table.Th>
                  <Table.Th scope="col">Last visit</Table.Th>
                  <Table.Th scope="col">Next appointment</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sortPatients(items, sort, today).map((patient) => (
                  <Table.Tr key={patient.id}>
                    <Table.Td>
                      <Stack gap={0}>
                        <Anchor component={Link} to={`/provider/patients/${patient.id}`}>
                          {patient.last_name}, {patient.first_name}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          {patient.date_of_birth ? `${ageOn(patient.date_of_birth, today)} years` : "Age not given"}
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge
                        status={patient.status === "needs_attention" ? "warning" : "normal"}
                        label={patient.status === "needs_attention" ? "Needs attention" : "Stable"}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Vital reading={patient.heart_rate} code="heart_rate" />
                    </Table.Td>
                    <Table.Td>
                      <BloodPressure pressure={patient.blood_pressure} />
                    </Table.Td>
                    <Table.Td>
                      <Vital reading={patient.blood_glucose} code="blood_glucose" />
                    </Table.Td>
                    <Table.Td>
                      <Alerts alerts={patient.open_alerts} />
                    </Table.Td>
                    <Table.Td>
                      {patient.last_visit ? formatDate(patient.last_visit.start_time, timeZone) : "–"}
                    </Table.Td>
                    <Table.Td>
                      {patient.next_appointment ? formatDateTime(patient.next_appointment.start_time, timeZone) : "–"}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </PagedList>
    </>
  );
}
