import { Button, Card, Group, Table, Text, Title } from "@mantine/core";
import { Link } from "react-router";

import { QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { useImports } from "./api";

/** Your imports, for the My data page: when, which file, status and what they added. */
export function ImportsList() {
  const { timeZone } = usePreferences();
  const query = useImports();
  return (
    <Card withBorder>
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="lg">
          Imports
        </Title>
        <Button component={Link} to="/import" variant="default">
          Import data
        </Button>
      </Group>
      <QueryState
        query={query}
        isEmpty={(data) => data.items.length === 0}
        empty={<Text size="sm">You have not imported any files yet.</Text>}
      >
        {(data) => (
          <Table.ScrollContainer minWidth={560}>
            <Table striped aria-label="Your imports">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Uploaded</Table.Th>
                  <Table.Th>File</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th ta="right">Readings added</Table.Th>
                  <Table.Th ta="right">Already there</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.items.map((item) => (
                  <Table.Tr key={item.id}>
                    <Table.Td>{formatDateTime(item.created_at, timeZone)}</Table.Td>
                    <Table.Td>{item.filename}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={item.status} />
                      {item.error ? (
                        <Text size="xs" mt={4}>
                          {item.error}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td ta="right">{item.accepted.toLocaleString()}</Table.Td>
                    <Table.Td ta="right">{item.duplicates.toLocaleString()}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
    </Card>
  );
}
