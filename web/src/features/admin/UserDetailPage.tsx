import { Anchor, Card, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { Link, useParams } from "react-router";

import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryState } from "../../components/QueryState";
import { ScrollTable } from "../../components/ScrollTable";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime } from "../../lib/time";
import { useSession } from "../auth/session";
import { usePreferences } from "../profile/api";
import { UserActions } from "./UserActions";
import { useRelationships, useUser, type AdminUser } from "./api";
import { fullName, ROLE_LABELS, type Role } from "./words";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="sm" c="dimmed" component="dt">
        {label}
      </Text>
      <Text component="dd" m={0}>
        {children}
      </Text>
    </div>
  );
}

function UserRelationships({ user, timeZone }: { user: AdminUser; timeZone: string }) {
  const asProvider = user.role === "provider";
  const relationships = useRelationships({
    providerId: asProvider ? user.id : null,
    patientId: asProvider ? null : user.id,
    includeEnded: false,
  });
  return (
    <QueryState query={relationships} loadingLabel="Loading care relationships…">
      {(data) => {
        const items = data.pages.flatMap((page) => page.items);
        if (items.length === 0) return <EmptyState>No active care relationships.</EmptyState>;
        return (
          <ScrollTable label={`Care relationships of ${fullName(user)}`}>
            <Table miw={480}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{asProvider ? "Patient" : "Provider"}</Table.Th>
                  <Table.Th scope="col">Kind</Table.Th>
                  <Table.Th scope="col">Since</Table.Th>
                  <Table.Th scope="col">Until</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((rel) => {
                  const other = asProvider ? rel.patient : rel.provider;
                  return (
                    <Table.Tr key={rel.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/admin/users/${other.id}`}>
                          {fullName(other)}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={rel.kind} />
                      </Table.Td>
                      <Table.Td>{formatDateTime(rel.valid_from, timeZone)}</Table.Td>
                      <Table.Td>{rel.valid_until ? formatDateTime(rel.valid_until, timeZone) : "Until ended"}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        );
      }}
    </QueryState>
  );
}

function UserDetail({ user, timeZone }: { user: AdminUser; timeZone: string }) {
  const { state } = useSession();
  const me = state.status === "signed-in" ? state.user : null;
  const name = user.status === "erased" ? "Erased account" : fullName(user);
  return (
    <>
      <PageHeader title={name} description={user.email} />
      <Stack gap="lg">
        <Card withBorder component="section" aria-labelledby="account-heading">
          <Title order={2} fz="lg" mb="sm" id="account-heading">
            Account
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }} component="dl" m={0}>
            <Fact label="Role">{ROLE_LABELS[user.role as Role]}</Fact>
            <Fact label="Status">
              <StatusBadge status={user.status} />
            </Fact>
            <Fact label="Password">
              {user.status === "erased" ? "—" : user.has_password ? "Set" : "Not set yet (invited)"}
            </Fact>
            <Fact label="Email verified">
              {user.email_verified_at ? formatDateTime(user.email_verified_at, timeZone) : "Not verified"}
            </Fact>
            <Fact label="Joined">{formatDateTime(user.created_at, timeZone)}</Fact>
            <Fact label="Last changed">{formatDateTime(user.updated_at, timeZone)}</Fact>
            {user.role === "provider" ? (
              <>
                <Fact label="Specialization">{user.specialization ?? "—"}</Fact>
                <Fact label="Licence number">{user.licence_number ?? "—"}</Fact>
              </>
            ) : null}
            {user.erased_at ? <Fact label="Erased">{formatDateTime(user.erased_at, timeZone)}</Fact> : null}
          </SimpleGrid>
        </Card>
        <Card withBorder component="section" aria-labelledby="actions-heading">
          <Title order={2} fz="lg" mb="sm" id="actions-heading">
            Actions
          </Title>
          <UserActions user={user} me={me} />
        </Card>
        {user.role !== "admin" && user.status !== "erased" ? (
          <Card withBorder component="section" aria-labelledby="relationships-heading">
            <Title order={2} fz="lg" mb="sm" id="relationships-heading">
              Care relationships
            </Title>
            <UserRelationships user={user} timeZone={timeZone} />
          </Card>
        ) : null}
        <Text>
          <Anchor component={Link} to={`/admin/audit?user_id=${user.id}`}>
            What this user did, in the audit log
          </Anchor>
        </Text>
      </Stack>
    </>
  );
}

export function UserDetailPage() {
  const { userId = "" } = useParams();
  const user = useUser(userId);
  const { timeZone } = usePreferences();
  if (user.data) return <UserDetail user={user.data} timeZone={timeZone} />;
  return (
    <>
      <PageHeader title="User account" />
      <QueryState query={user} loadingLabel="Loading the account…">
        {() => null}
      </QueryState>
    </>
  );
}
