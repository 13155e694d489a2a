import { Anchor, Group, Select, Table, Text } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router";

import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { ScrollTable } from "../../components/ScrollTable";
import { StatusBadge } from "../../components/StatusBadge";
import { formatCalendarDate } from "../../lib/time";
import { UserPicker } from "./UserPicker";
import { useClinicPrescriptions } from "./api";
import { fullName, type PrescriptionFilters } from "./words";

const STATUSES = [
  { value: "active", label: "Active" },
  { value: "completed", label: "Completed" },
  { value: "cancelled", label: "Cancelled" },
  { value: "expired", label: "Expired" },
];

export function ClinicPrescriptionsPage() {
  const [status, setStatus] = useState<PrescriptionFilters["status"]>(null);
  const [providerId, setProviderId] = useState<string | null>(null);
  const prescriptions = useClinicPrescriptions({ status, providerId });
  return (
    <>
      <PageHeader title="Prescriptions" description="Every prescription in the clinic, newest first." />
      <Group align="flex-end" mb="md" wrap="wrap">
        <Select
          label="Status"
          placeholder="Any status"
          data={STATUSES}
          value={status}
          onChange={(value) => {
            setStatus(value as PrescriptionFilters["status"]);
          }}
          clearable
          w={{ base: "100%", sm: 180 }}
        />
        <UserPicker
          of="provider"
          label="Prescriber"
          value={providerId}
          onChange={setProviderId}
          clearable
          w={{ base: "100%", sm: 300 }}
        />
      </Group>
      <PagedList
        query={prescriptions}
        loadingLabel="Loading prescriptions…"
        empty="No prescription matches these filters."
      >
        {(items) => (
          <ScrollTable label="Prescriptions">
            <Table striped miw={820}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Medication</Table.Th>
                  <Table.Th scope="col">Patient</Table.Th>
                  <Table.Th scope="col">Prescriber</Table.Th>
                  <Table.Th scope="col">Period</Table.Th>
                  <Table.Th scope="col">Refills left</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((rx) => (
                  <Table.Tr key={rx.id}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {rx.medication_name}
                      </Text>
                      <Text size="sm">{rx.dosage}</Text>
                    </Table.Td>
                    <Table.Td>
                      {rx.patient ? (
                        <Anchor component={Link} to={`/admin/users/${rx.patient.id}`}>
                          {fullName(rx.patient)}
                        </Anchor>
                      ) : (
                        "Unknown"
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/admin/users/${rx.provider_id}`}>
                        {fullName(rx.prescriber)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      {formatCalendarDate(rx.start_date)} – {rx.end_date ? formatCalendarDate(rx.end_date) : "open"}
                    </Table.Td>
                    <Table.Td>
                      {rx.refills_left} of {rx.refills_allowed}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <StatusBadge status={rx.status} />
                        {rx.latest_refill_request?.status === "pending" ? (
                          <StatusBadge status="pending" label="Refill requested" />
                        ) : null}
                      </Group>
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
