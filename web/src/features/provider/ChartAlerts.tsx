import { Button, Card, Group, Modal, SegmentedControl, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";

import { errorMessage } from "../../api/errors";
import { CardList } from "../../components/CardList";
import { FormError } from "../../components/FormError";
import { PagedList } from "../../components/PagedList";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime } from "../../lib/time";
import { formatValue } from "../../lib/units";
import { useUpdateAlert, type Alert } from "../alerts/api";
import { useDisplayUnits } from "../biomarkers/useDisplayUnits";
import { usePatientAlerts } from "./api";

type Action = "acknowledged" | "resolved";
const WORDS: Record<Action, { title: string; button: string; done: string }> = {
  acknowledged: { title: "Acknowledge the alert", button: "Acknowledge", done: "Alert acknowledged" },
  resolved: { title: "Resolve the alert", button: "Resolve", done: "Alert resolved" },
};

/** The patient's alerts; the provider acknowledges or resolves them with a note. */
export function ChartAlerts({ patientId, timeZone }: { patientId: string; timeZone: string }) {
  const [status, setStatus] = useState<"open" | "acknowledged" | "all">("open");
  const alerts = usePatientAlerts(patientId, status === "all" ? null : status);
  const { unitFor, nameOf } = useDisplayUnits();
  const [target, setTarget] = useState<{ alert: Alert; action: Action } | null>(null);
  return (
    <Stack>
      <SegmentedControl
        aria-label="Alerts to show"
        w="fit-content"
        value={status}
        onChange={(value) => {
          setStatus(value);
        }}
        data={[
          { value: "open", label: "Open" },
          { value: "acknowledged", label: "Acknowledged" },
          { value: "all", label: "All" },
        ]}
      />
      <PagedList query={alerts} loadingLabel="Loading alerts…" empty="No alerts to show." moreLabel="Show older alerts">
        {(items) => (
          <CardList label="Alerts">
            {items.map((alert) => {
              const closed = alert.status === "resolved" || alert.status === "dismissed";
              return (
                <Card component="li" withBorder key={alert.id}>
                  <Group justify="space-between" align="flex-start" wrap="wrap">
                    <Stack gap={4}>
                      <Group gap="xs">
                        <Text fw={600}>{nameOf(alert.biomarker_type)}</Text>
                        <StatusBadge status={alert.severity} />
                        <StatusBadge status={alert.status} />
                      </Group>
                      <Text size="sm">{alert.message}</Text>
                      <Text size="sm" c="dimmed">
                        Latest {formatValue(alert.last_value, unitFor(alert.biomarker_type))} · {alert.occurrences}{" "}
                        {alert.occurrences === 1 ? "reading" : "readings"} · last{" "}
                        {formatDateTime(alert.last_seen_at, timeZone)}
                      </Text>
                      {alert.status_note ? <Text size="sm">Note: {alert.status_note}</Text> : null}
                    </Stack>
                    {!closed ? (
                      <Group gap="xs">
                        {alert.status === "open" ? (
                          <Button
                            size="xs"
                            onClick={() => {
                              setTarget({ alert, action: "acknowledged" });
                            }}
                          >
                            Acknowledge
                          </Button>
                        ) : null}
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => {
                            setTarget({ alert, action: "resolved" });
                          }}
                        >
                          Resolve
                        </Button>
                      </Group>
                    ) : null}
                  </Group>
                </Card>
              );
            })}
          </CardList>
        )}
      </PagedList>
      <Modal
        opened={target !== null}
        onClose={() => {
          setTarget(null);
        }}
        title={target ? WORDS[target.action].title : ""}
        centered
      >
        {target ? (
          <AlertNoteForm
            alert={target.alert}
            action={target.action}
            name={nameOf(target.alert.biomarker_type)}
            onClose={() => {
              setTarget(null);
            }}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}

function AlertNoteForm({
  alert,
  action,
  name,
  onClose,
}: {
  alert: Alert;
  action: Action;
  name: string;
  onClose: () => void;
}) {
  const update = useUpdateAlert();
  const [note, setNote] = useState("");
  const words = WORDS[action];
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
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
      <Stack>
        <Text>
          {name}: {alert.message}
        </Text>
        <FormError>{update.error ? errorMessage(update.error) : null}</FormError>
        <Textarea
          label="Note (optional)"
          description="The patient sees this note."
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
          <Button type="submit" loading={update.isPending}>
            {words.button}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
