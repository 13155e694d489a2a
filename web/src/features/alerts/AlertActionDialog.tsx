import { Alert as Notice, Button, Group, Modal, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";

import { errorMessage } from "../../api/errors";
import { useUpdateAlert, type Alert } from "./api";

export type AlertAction = "acknowledged" | "dismissed";

const WORDS: Record<AlertAction, { title: string; button: string; done: string }> = {
  acknowledged: { title: "Acknowledge the alert", button: "Acknowledge", done: "Alert acknowledged" },
  dismissed: { title: "Dismiss the alert", button: "Dismiss", done: "Alert dismissed" },
};

export function AlertActionDialog({
  alert,
  action,
  alertName,
  onClose,
}: {
  alert: Alert | null;
  action: AlertAction;
  alertName: string;
  onClose: () => void;
}) {
  return (
    <Modal opened={alert !== null} onClose={onClose} title={WORDS[action].title} centered>
      {alert ? <AlertActionForm alert={alert} action={action} alertName={alertName} onClose={onClose} /> : null}
    </Modal>
  );
}

function AlertActionForm({
  alert,
  action,
  alertName,
  onClose,
}: {
  alert: Alert;
  action: AlertAction;
  alertName: string;
  onClose: () => void;
}) {
  const update = useUpdateAlert();
  const [note, setNote] = useState("");
  const words = WORDS[action];
  return (
    <Stack>
      <Text>
        {alertName}: {alert.message}
      </Text>
      {action === "dismissed" ? (
        <Text size="sm" c="dimmed">
          A dismissed alert is closed for good; a new breach opens a new alert.
        </Text>
      ) : null}
      {update.error ? (
        <Notice color="red" variant="light" role="alert">
          {errorMessage(update.error)}
        </Notice>
      ) : null}
      <Textarea
        label="Note (optional)"
        description="For example what you were doing at the time."
        autosize
        minRows={2}
        maxLength={2000}
        value={note}
        onChange={(event) => {
          setNote(event.currentTarget.value);
        }}
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          loading={update.isPending}
          onClick={() => {
            update.mutate(
              { id: alert.id, status: action, note: note.trim() || null },
              {
                onSuccess: () => {
                  notifications.show({ color: "teal", message: words.done });
                  onClose();
                },
              },
            );
          }}
        >
          {words.button}
        </Button>
      </Group>
    </Stack>
  );
}
