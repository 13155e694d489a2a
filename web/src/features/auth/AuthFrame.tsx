import { Center, Container, Paper, Stack, Text, Title } from "@mantine/core";
import { useEffect, type ReactNode } from "react";

import { Logo } from "../../app/Logo";

/** The centred card of the signed-out pages. */
export function AuthFrame({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Healix`;
  }, [title]);
  return (
    <Container size={460} py={{ base: "md", sm: 48 }} component="main" id="main">
      <Stack gap="lg">
        <Center>
          <Logo />
        </Center>
        <Paper withBorder shadow="sm" p={{ base: "md", sm: "xl" }} radius="md">
          <Stack gap="md">
            <Title order={1} fz={26}>
              {title}
            </Title>
            {intro ? <Text c="dimmed">{intro}</Text> : null}
            {children}
          </Stack>
        </Paper>
      </Stack>
    </Container>
  );
}
