import { Anchor, Button, Container, Stack, Text, Title } from "@mantine/core";
import { Link, Navigate, useNavigate } from "react-router";

import { LoadingState } from "../components/QueryState";
import { homeFor, useSession } from "../features/auth/session";

/** Providers and admins sign in here too; their web areas come with the next release. */
export function RoleWithoutArea({ area }: { area: string }) {
  const { state, signOut } = useSession();
  const navigate = useNavigate();
  if (state.status === "loading") return <LoadingState label="Opening Healix…" />;
  if (state.status === "signed-out") return <Navigate to="/sign-in" replace />;
  if (state.user.role !== area) return <Navigate to={homeFor(state.user.role)} replace />;
  return (
    <Container size="sm" py="xl" component="main">
      <Stack>
        <Title order={1}>Welcome, {state.user.first_name}</Title>
        <Text>
          The {area === "provider" ? "provider workspace" : "admin console"} is not part of the web app yet. Everything
          it will offer is available through the Healix API (documentation at <a href="/api/docs">/api/docs</a>).
        </Text>
        <Anchor component={Link} to="/settings/security">
          Two-factor sign-in settings
        </Anchor>
        <Button w="fit-content" variant="default" onClick={() => void signOut().then(() => navigate("/sign-in"))}>
          Sign out
        </Button>
      </Stack>
    </Container>
  );
}
