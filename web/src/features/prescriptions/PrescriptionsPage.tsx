import { Button, Card, Group, Modal, SegmentedControl, Stack, Text, Textarea } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconFileDownload } from "@tabler/icons-react";
import { useState } from "react";

import { errorMessage } from "../../api/errors";
import { CardList } from "../../components/CardList";
import { DialogActions } from "../../components/DialogActions";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { StatusBadge } from "../../components/StatusBadge";
import { formatCalendarDate, formatDate } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { downloadPrescriptionPdf, usePrescriptions, useRequestRefill, type Prescription } from "./api";

function RefillDialog({ prescription, onClose }: { prescription: Prescription | null; onClose: () => void }) {
  const request = useRequestRefill();
  const [note, setNote] = useState("");
  return (
    <Modal opened={prescription !== null} onClose={onClose} title="Request a refill" centered>
      {prescription ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            request.mutate(
              { id: prescription.id, note: note.trim() || null },
              {
                onSuccess: () => {
                  notifications.show({
                    color: "teal",
                    title: "Refill requested",
                    message: "Your prescriber will decide on it.",
                  });
                  setNote("");
                  onClose();
                },
              },
            );
          }}
        >
          <Stack>
            <Text>
              {prescription.medication_name}, {prescription.dosage}. Refills left: {prescription.refills_left}.
            </Text>
            <FormError>{request.error ? errorMessage(request.error) : null}</FormError>
            <Textarea
              label="Note for your prescriber (optional)"
              autosize
              minRows={2}
              maxLength={1000}
              value={note}
              onChange={(event) => {
                setNote(event.currentTarget.value);
              }}
            />
            <DialogActions onCancel={onClose} submitLabel="Send request" loading={request.isPending} />
          </Stack>
        </form>
      ) : null}
    </Modal>
  );
}

export function PrescriptionsPage() {
  const { timeZone } = usePreferences();
  const [show, setShow] = useState<"active" | "all">("active");
  const prescriptions = usePrescriptions(show === "active" ? "active" : null);
  const [refilling, setRefilling] = useState<Prescription | null>(null);

  return (
    <>
      <PageHeader title="Prescriptions" description="Your medication, its refills, and a printable copy." />
      <SegmentedControl
        mb="md"
        aria-label="Which prescriptions"
        value={show}
        onChange={(value) => {
          setShow(value);
        }}
        data={[
          { value: "active", label: "Active" },
          { value: "all", label: "Active and past" },
        ]}
      />
      <PagedList
        query={prescriptions}
        loadingLabel="Loading prescriptions…"
        empty={<>{show === "active" ? "No active prescriptions." : "No prescriptions yet."}</>}
      >
        {(items) => (
          <CardList label="Prescriptions">
            {items.map((rx) => {
              const refill = rx.latest_refill_request ?? null;
              const pending = refill?.status === "pending";
              const canRequest = rx.status === "active" && rx.refills_left > 0 && !pending;
              return (
                <Card withBorder component="li" key={rx.id}>
                  <Group justify="space-between" align="flex-start" wrap="wrap">
                    <Stack gap={4}>
                      <Group gap="xs">
                        <Text fw={600}>{rx.medication_name}</Text>
                        <StatusBadge status={rx.status} />
                      </Group>
                      <Text size="sm">{rx.dosage}</Text>
                      {rx.instructions ? (
                        <Text size="sm" c="dimmed">
                          {rx.instructions}
                        </Text>
                      ) : null}
                      <Text size="sm">
                        From {formatCalendarDate(rx.start_date)}
                        {rx.end_date ? ` to ${formatCalendarDate(rx.end_date)}` : ""} · quantity {rx.quantity} · refills
                        left{" "}
                        <strong>
                          {rx.refills_left} of {rx.refills_allowed}
                        </strong>
                        {rx.prescriber ? ` · Dr ${rx.prescriber.first_name} ${rx.prescriber.last_name}` : ""}
                      </Text>
                      {refill ? (
                        <Group gap="xs">
                          <Text size="sm">Refill requested {formatDate(refill.created_at, timeZone)}:</Text>
                          <StatusBadge status={refill.status} />
                          {refill.decision_note ? <Text size="sm">“{refill.decision_note}”</Text> : null}
                        </Group>
                      ) : null}
                    </Stack>
                    <Group gap="xs">
                      <Button
                        size="xs"
                        variant="default"
                        leftSection={<IconFileDownload size={14} aria-hidden />}
                        onClick={() => {
                          downloadPrescriptionPdf(rx.id).catch((error: unknown) =>
                            notifications.show({ color: "red", message: errorMessage(error) }),
                          );
                        }}
                      >
                        PDF
                      </Button>
                      {rx.status === "active" ? (
                        <Button
                          size="xs"
                          disabled={!canRequest}
                          onClick={() => {
                            setRefilling(rx);
                          }}
                        >
                          {pending ? "Refill pending" : rx.refills_left === 0 ? "No refills left" : "Request a refill"}
                        </Button>
                      ) : null}
                    </Group>
                  </Group>
                </Card>
              );
            })}
          </CardList>
        )}
      </PagedList>
      <RefillDialog
        prescription={refilling}
        onClose={() => {
          setRefilling(null);
        }}
      />
    </>
  );
}
