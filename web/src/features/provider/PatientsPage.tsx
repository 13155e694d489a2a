import { Anchor, Group, Select, Table, Text, TextInput } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { useDeferredValue, useState } from "react";
import { Link } from "react-router";

import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { ScrollTable } from "../../components/ScrollTable";
import { formatCalendarDate, todayIn } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { useMyPatients } from "./api";
import { ageOn, sortPatients, type PatientSort } from "./logic";

const SORTS = [
  { value: "last_name", label: "Last name" },
  { value: "first_name", label: "First name" },
  { value: "age", label: "Age (youngest first)" },
];

/** The patients in my care: search by name (server), sort (client), open a chart. */
export function PatientsPage() {
  const [search, setSearch] = useState("");
  const q = useDeferredValue(search.trim());
  const [sort, setSort] = useState<PatientSort>("last_name");
  const patients = useMyPatients(q);
  const { timeZone } = usePreferences();
  const today = todayIn(timeZone);
  return (
    <>
      <PageHeader title="My patients" description="The patients in your care. Open a chart to see their record." />
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
          w={220}
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
                {items.length} {items.length === 1 ? "patient" : "patients"}
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Age</Table.Th>
                  <Table.Th scope="col">Date of birth</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {sortPatients(items, sort, today).map((patient) => (
                  <Table.Tr key={patient.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/provider/patients/${patient.id}`}>
                        {patient.last_name}, {patient.first_name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{patient.date_of_birth ? ageOn(patient.date_of_birth, today) : "–"}</Table.Td>
                    <Table.Td>
                      {patient.date_of_birth ? formatCalendarDate(patient.date_of_birth) : <Text span>Not given</Text>}
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
