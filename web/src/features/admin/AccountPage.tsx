import { Card, Stack, Text, Title } from "@mantine/core";

import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { useProfile } from "../profile/api";

/** The administrator's own account: who they are signed in as, and how their account is changed. */
export function AccountPage() {
  const profile = useProfile();
  return (
    <>
      <PageHeader title="My account" />
      <QueryState query={profile} loadingLabel="Loading your account…">
        {(data) => (
          <Card withBorder component="section" aria-labelledby="me-heading">
            <Title order={2} fz="lg" mb="sm" id="me-heading">
              Signed in as
            </Title>
            <Stack gap={4}>
              <Text fw={600}>
                {data.first_name} {data.last_name}
              </Text>
              <Text>{data.email}</Text>
              <Text size="sm" c="dimmed">
                Times are shown in {data.timezone}.
              </Text>
              <Text size="sm" mt="sm">
                Another administrator changes your role or status (nobody can lock themself out). To change your
                password, sign out and use “Forgot password” on the sign-in page.
              </Text>
            </Stack>
          </Card>
        )}
      </QueryState>
    </>
  );
}
