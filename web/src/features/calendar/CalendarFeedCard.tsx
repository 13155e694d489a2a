import { Alert, Anchor, Button, Card, CopyButton, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconCalendarPlus, IconCopy } from "@tabler/icons-react";
import { useState } from "react";

import { errorMessage } from "../../api/errors";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { QueryState } from "../../components/QueryState";
import { formatDateTime } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { useCalendarFeed, useCreateCalendarFeed, useRevokeCalendarFeed, type CreatedCalendarFeed } from "./api";

function NewLink({ feed }: { feed: CreatedCalendarFeed }) {
  return (
    <Stack gap="xs">
      <TextInput
        label="Your calendar link"
        readOnly
        value={feed.webcal_url}
        onFocus={(e) => {
          e.currentTarget.select();
        }}
      />
      <Group>
        <CopyButton value={feed.webcal_url}>
          {({ copied, copy }) => (
            <Button variant="default" leftSection={<IconCopy size={16} aria-hidden />} onClick={copy}>
              {copied ? "Link copied" : "Copy the link"}
            </Button>
          )}
        </CopyButton>
        <Anchor href={feed.webcal_url}>Open in my calendar app</Anchor>
      </Group>
      <Text size="sm" c="dimmed">
        Apple Calendar and Outlook open the link directly. In Google Calendar choose “Other calendars”, “From URL” and
        paste it. This is the only time Healix shows the link.
      </Text>
    </Stack>
  );
}

/** Create, copy and revoke the secret calendar subscription link. */
export function CalendarFeedCard() {
  const { timeZone } = usePreferences();
  const feed = useCalendarFeed();
  const create = useCreateCalendarFeed();
  const revoke = useRevokeCalendarFeed();
  const [confirming, setConfirming] = useState(false);
  const created = create.data;
  const createLink = () => {
    create.mutate(undefined, {
      onError: (error) => notifications.show({ color: "red", title: "No link created", message: errorMessage(error) }),
    });
  };
  return (
    <Card withBorder>
      <Title order={2} fz="lg" mb="xs">
        Calendar subscription
      </Title>
      <Stack>
        <Text size="sm">
          Keep your phone or computer calendar in sync with your appointments. The calendar shows when they are and who
          they are with — never the reason or any notes. Anyone who has the link can see this, so keep it to yourself;
          you can turn it off here at any time.
        </Text>
        <QueryState query={feed}>
          {(live) => (
            <Stack>
              {live && created?.id === live.id ? <NewLink feed={created} /> : null}
              {live && created?.id !== live.id ? (
                <Alert variant="light" color="blue">
                  A calendar link is on since {formatDateTime(live.created_at, timeZone)}. Its address was shown once;
                  create a new link to see one again (the old link then stops working).
                </Alert>
              ) : null}
              {!live ? <Text size="sm">You have no calendar link.</Text> : null}
              <Group>
                <Button
                  leftSection={<IconCalendarPlus size={16} aria-hidden />}
                  loading={create.isPending}
                  onClick={createLink}
                >
                  {live ? "Create a new link" : "Create a calendar link"}
                </Button>
                {live ? (
                  <Button
                    variant="default"
                    color="red"
                    onClick={() => {
                      setConfirming(true);
                    }}
                  >
                    Turn the link off
                  </Button>
                ) : null}
              </Group>
            </Stack>
          )}
        </QueryState>
      </Stack>
      <ConfirmDialog
        opened={confirming}
        title="Turn the calendar link off?"
        confirmLabel="Turn it off"
        danger
        loading={revoke.isPending}
        onClose={() => {
          setConfirming(false);
        }}
        onConfirm={() => {
          revoke.mutate(undefined, {
            onSuccess: () => {
              setConfirming(false);
              create.reset();
              notifications.show({ color: "teal", message: "The calendar link is off" });
            },
            onError: (error) => notifications.show({ color: "red", message: errorMessage(error) }),
          });
        }}
      >
        Calendars subscribed to it stop receiving your appointments.
      </ConfirmDialog>
    </Card>
  );
}
