import { Anchor, Button, Group, Select, Table, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch, IconUserPlus } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router";

import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { ScrollTable } from "../../components/ScrollTable";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDate } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { InviteProviderDialog } from "./InviteProviderDialog";
import { useUsers } from "./api";
import { fullName, ROLE_LABELS, STATUS_LABELS, type Role, type UserStatus } from "./words";

const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));
const STATUS_OPTIONS = Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label }));

export function UsersPage() {
  const { timeZone } = usePreferences();
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 300);
  const [role, setRole] = useState<Role | null>(null);
  const [status, setStatus] = useState<UserStatus | null>(null);
  const [inviting, setInviting] = useState(false);
  const users = useUsers({ q, role, status });

  return (
    <>
      <PageHeader
        title="Users"
        description="Find an account by name or email; open it to change it."
        actions={
          <Button
            leftSection={<IconUserPlus size={16} aria-hidden />}
            onClick={() => {
              setInviting(true);
            }}
          >
            Invite a provider
          </Button>
        }
      />
      <Group align="flex-end" mb="md" wrap="wrap">
        <TextInput
          label="Search"
          description="Part of a name or email"
          leftSection={<IconSearch size={16} aria-hidden />}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
          }}
          maxLength={100}
          w={{ base: "100%", sm: 280 }}
        />
        <Select
          label="Role"
          placeholder="Any role"
          data={ROLE_OPTIONS}
          value={role}
          onChange={(value) => {
            setRole(value as Role | null);
          }}
          clearable
          w={{ base: "100%", sm: 180 }}
        />
        <Select
          label="Status"
          placeholder="Active and inactive"
          data={STATUS_OPTIONS}
          value={status}
          onChange={(value) => {
            setStatus(value as UserStatus | null);
          }}
          clearable
          w={{ base: "100%", sm: 200 }}
        />
      </Group>
      <PagedList query={users} loadingLabel="Loading users…" empty="No user matches these filters.">
        {(items) => (
          <ScrollTable label="Users">
            <Table striped highlightOnHover miw={640}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Name</Table.Th>
                  <Table.Th scope="col">Email</Table.Th>
                  <Table.Th scope="col">Role</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Joined</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((user) => (
                  <Table.Tr key={user.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/admin/users/${user.id}`}>
                        {user.status === "erased" ? "Erased account" : fullName(user)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ wordBreak: "break-all" }}>
                        {user.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>{ROLE_LABELS[user.role as Role]}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <StatusBadge status={user.status} />
                        {!user.has_password && user.status === "active" ? (
                          <StatusBadge status="pending" label="Invited" />
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>{formatDate(user.created_at, timeZone)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </PagedList>
      <InviteProviderDialog
        opened={inviting}
        onClose={() => {
          setInviting(false);
        }}
        timeZone={timeZone}
      />
    </>
  );
}
