import { Button, Card, Group, SegmentedControl, Stack, Text } from "@mantine/core";
import { notifications as toasts } from "@mantine/notifications";
import { useState } from "react";

import { errorMessage } from "../../api/errors";
import { CardList } from "../../components/CardList";
import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { useMarkAllRead, useMarkNotification, useNotificationList } from "./api";

export function NotificationsPage() {
  const { timeZone } = usePreferences();
  const [show, setShow] = useState<"unread" | "all">("unread");
  const list = useNotificationList(show === "unread" ? "unread" : null);
  const mark = useMarkNotification();
  const markAll = useMarkAllRead();
  return (
    <>
      <PageHeader
        title="Notifications"
        actions={
          <Button
            variant="default"
            loading={markAll.isPending}
            onClick={() => {
              markAll.mutate(undefined, {
                onSuccess: (result) =>
                  toasts.show({
                    color: "teal",
                    message: result.updated ? `${result.updated} marked as read` : "Nothing was unread",
                  }),
                onError: (error) => toasts.show({ color: "red", message: errorMessage(error) }),
              });
            }}
          >
            Mark all as read
          </Button>
        }
      />
      <SegmentedControl
        mb="md"
        aria-label="Which notifications"
        value={show}
        onChange={(value) => {
          setShow(value);
        }}
        data={[
          { value: "unread", label: "Unread" },
          { value: "all", label: "All" },
        ]}
      />
      <PagedList
        query={list}
        loadingLabel="Loading notifications…"
        empty={<>{show === "unread" ? "You are all caught up." : "No notifications yet."}</>}
      >
        {(items) => (
          <CardList label="Notifications">
            {items.map((item) => (
              <Card withBorder component="li" key={item.id}>
                <Group justify="space-between" align="flex-start" wrap="wrap">
                  <Stack gap={4}>
                    <Group gap="xs">
                      <Text fw={item.status === "unread" ? 700 : 500}>{item.title}</Text>
                      <StatusBadge status={item.status} />
                    </Group>
                    {item.body ? <Text size="sm">{item.body}</Text> : null}
                    <Text size="xs" c="dimmed">
                      {formatDateTime(item.created_at, timeZone)}
                    </Text>
                  </Stack>
                  {item.status === "unread" ? (
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => {
                        mark.mutate({ id: item.id, status: "read" });
                      }}
                      aria-label={`Mark as read: ${item.title}`}
                    >
                      Mark as read
                    </Button>
                  ) : null}
                </Group>
              </Card>
            ))}
          </CardList>
        )}
      </PagedList>
    </>
  );
}
