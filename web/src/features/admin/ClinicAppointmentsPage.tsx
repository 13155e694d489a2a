import { Anchor, Group, Select, Table, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router";

import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { ScrollTable } from "../../components/ScrollTable";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime, formatTime } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { useClinicAppointments } from "./api";
import { fullName, periodError } from "./words";

const STATUSES = [
  { value: "scheduled", label: "Scheduled" },
  { value: "completed", label: "Completed" },
  { value: "cancelled", label: "Cancelled" },
  { value: "no_show", label: "No-show" },
];

export function ClinicAppointmentsPage() {
  const { timeZone } = usePreferences();
  const [status, setStatus] = useState<string | null>(null);
  const [fromDate, setFromDate] = useState("");
  const [toDate, setToDate] = useState("");
  const dateError = periodError(fromDate, toDate);
  // an impossible period is not sent: the form says why
  const appointments = useClinicAppointments(
    { status, fromDate: dateError ? "" : fromDate, toDate: dateError ? "" : toDate },
    timeZone,
  );
  return (
    <>
      <PageHeader title="Appointments" description="Every appointment in the clinic, latest first." />
      <Group align="flex-start" mb="md" wrap="wrap">
        <Select
          label="Status"
          placeholder="Any status"
          data={STATUSES}
          value={status}
          onChange={setStatus}
          clearable
          w={{ base: "100%", sm: 180 }}
        />
        <TextInput
          label="From"
          type="date"
          value={fromDate}
          onChange={(event) => {
            setFromDate(event.currentTarget.value);
          }}
          w={{ base: "100%", sm: 170 }}
        />
        <TextInput
          label="To (included)"
          type="date"
          value={toDate}
          error={dateError}
          onChange={(event) => {
            setToDate(event.currentTarget.value);
          }}
          w={{ base: "100%", sm: 170 }}
        />
      </Group>
      <PagedList
        query={appointments}
        loadingLabel="Loading appointments…"
        empty="No appointment matches these filters."
      >
        {(items) => (
          <ScrollTable label="Appointments">
            <Table striped miw={760}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">When</Table.Th>
                  <Table.Th scope="col">Patient</Table.Th>
                  <Table.Th scope="col">Provider</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((appointment) => (
                  <Table.Tr key={appointment.id}>
                    <Table.Td>
                      {formatDateTime(appointment.start_time, timeZone)} – {formatTime(appointment.end_time, timeZone)}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/admin/users/${appointment.patient_id}`}>
                        {fullName(appointment.patient)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/admin/users/${appointment.provider_id}`}>
                        {fullName(appointment.provider)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={appointment.status} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{appointment.cancellation_reason ?? appointment.reason ?? "—"}</Text>
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
