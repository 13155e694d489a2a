import { Button, Card, Group, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus } from "@tabler/icons-react";
import { useState } from "react";

import { errorMessage } from "../../api/errors";
import { CardList } from "../../components/CardList";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { PagedList } from "../../components/PagedList";
import { StatusBadge } from "../../components/StatusBadge";
import { formatCalendarDate, formatDateTime } from "../../lib/time";
import { useChangePrescription, usePatientPrescriptions, type PatientSummary, type Prescription } from "./api";
import {
  ChangePrescriptionDialog,
  RefillDecisionDialog,
  WritePrescriptionDialog,
  type RefillAnswer,
} from "./PrescriptionDialogs";
import { patientName } from "./logic";

/** The patient's prescriptions: write, change, cancel, and answer refill requests. */
export function ChartPrescriptions({
  patient,
  today,
  timeZone,
}: {
  patient: PatientSummary;
  today: string;
  timeZone: string;
}) {
  const prescriptions = usePatientPrescriptions(patient.id);
  const change = useChangePrescription();
  const [writing, setWriting] = useState(false);
  const [changing, setChanging] = useState<Prescription | null>(null);
  const [cancelling, setCancelling] = useState<Prescription | null>(null);
  const [refill, setRefill] = useState<{ prescription: Prescription; decision: RefillAnswer } | null>(null);
  return (
    <Stack>
      <Button
        w="fit-content"
        leftSection={<IconPlus size={16} aria-hidden />}
        onClick={() => {
          setWriting(true);
        }}
      >
        Write a prescription
      </Button>
      <PagedList
        query={prescriptions}
        loadingLabel="Loading prescriptions…"
        empty="No prescriptions yet."
        moreLabel="Show older prescriptions"
      >
        {(items) => (
          <CardList label="Prescriptions">
            {items.map((rx) => {
              const pending = rx.latest_refill_request?.status === "pending" ? rx.latest_refill_request : null;
              return (
                <Card component="li" withBorder key={rx.id}>
                  <Stack gap={6}>
                    <Group justify="space-between" wrap="wrap">
                      <Group gap="xs">
                        <Text fw={600}>{rx.medication_name}</Text>
                        <StatusBadge status={rx.status} />
                        {pending ? <StatusBadge status="pending" label="Refill requested" /> : null}
                      </Group>
                      {rx.status === "active" ? (
                        <Group gap="xs">
                          <Button
                            size="xs"
                            variant="default"
                            onClick={() => {
                              setChanging(rx);
                            }}
                          >
                            Change
                          </Button>
                          <Button
                            size="xs"
                            variant="default"
                            color="red"
                            onClick={() => {
                              setCancelling(rx);
                            }}
                          >
                            Cancel prescription
                          </Button>
                        </Group>
                      ) : null}
                    </Group>
                    <Text size="sm">
                      {rx.dosage} · quantity {rx.quantity} · {rx.refills_left} of {rx.refills_allowed} refills left
                    </Text>
                    <Text size="sm" c="dimmed">
                      From {formatCalendarDate(rx.start_date)}
                      {rx.end_date ? ` to ${formatCalendarDate(rx.end_date)}` : ""}
                      {rx.prescriber ? ` · Dr ${rx.prescriber.first_name} ${rx.prescriber.last_name}` : ""}
                    </Text>
                    {rx.instructions ? <Text size="sm">Instructions: {rx.instructions}</Text> : null}
                    {pending ? (
                      <Group gap="xs" wrap="wrap">
                        <Text size="sm">
                          Refill requested {formatDateTime(pending.created_at, timeZone)}
                          {pending.note ? `: “${pending.note}”` : ""}
                        </Text>
                        <Button
                          size="xs"
                          onClick={() => {
                            setRefill({ prescription: rx, decision: "approved" });
                          }}
                        >
                          Approve refill
                        </Button>
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => {
                            setRefill({ prescription: rx, decision: "denied" });
                          }}
                        >
                          Deny refill
                        </Button>
                      </Group>
                    ) : null}
                  </Stack>
                </Card>
              );
            })}
          </CardList>
        )}
      </PagedList>
      <WritePrescriptionDialog
        patientId={patient.id}
        patientName={patientName(patient)}
        today={today}
        opened={writing}
        onClose={() => {
          setWriting(false);
        }}
      />
      <ChangePrescriptionDialog
        prescription={changing}
        onClose={() => {
          setChanging(null);
        }}
      />
      <RefillDecisionDialog
        target={refill}
        onClose={() => {
          setRefill(null);
        }}
      />
      <ConfirmDialog
        opened={cancelling !== null}
        title="Cancel the prescription"
        confirmLabel="Cancel prescription"
        danger
        loading={change.isPending}
        onClose={() => {
          setCancelling(null);
        }}
        onConfirm={() => {
          if (!cancelling) return;
          change.mutate(
            { id: cancelling.id, status: "cancelled" },
            {
              onSuccess: () => {
                notifications.show({ color: "teal", message: "Prescription cancelled" });
                setCancelling(null);
              },
              onError: (error) => notifications.show({ color: "red", message: errorMessage(error) }),
            },
          );
        }}
      >
        {cancelling ? `${cancelling.medication_name} ends today; the patient is told.` : ""}
      </ConfirmDialog>
    </Stack>
  );
}
