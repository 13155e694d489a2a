import { Anchor, Button, Card, Group, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { Link } from "react-router";

import { CardList } from "../../components/CardList";
import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { formatDateTime } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { usePatientNames, useRefillQueue, type Prescription } from "./api";
import { patientName } from "./logic";
import { RefillDecisionDialog, type RefillAnswer } from "./PrescriptionDialogs";

/** Every pending refill request of my patients, oldest prescriptions last; approve or deny. */
export function RefillQueuePage() {
  const queue = useRefillQueue();
  const names = usePatientNames();
  const { timeZone } = usePreferences();
  const [target, setTarget] = useState<{ prescription: Prescription; decision: RefillAnswer } | null>(null);
  return (
    <>
      <PageHeader title="Refill queue" description="Pending refill requests of your patients." />
      <PagedList
        query={queue}
        loadingLabel="Loading refill requests…"
        empty="No refill requests are waiting."
        moreLabel="Show more requests"
      >
        {(items) => (
          <CardList label="Pending refill requests">
            {items.map((rx) => {
              const refill = rx.latest_refill_request;
              return (
                <Card component="li" withBorder key={rx.id}>
                  <Group justify="space-between" align="flex-start" wrap="wrap">
                    <Stack gap={4}>
                      <Anchor component={Link} to={`/provider/patients/${rx.patient_id}`} fw={600}>
                        {patientName(names.data?.get(rx.patient_id))}
                      </Anchor>
                      <Text>
                        {rx.medication_name}, {rx.dosage}
                      </Text>
                      <Text size="sm" c="dimmed">
                        {rx.refills_left} of {rx.refills_allowed} refills left
                        {refill ? ` · requested ${formatDateTime(refill.created_at, timeZone)}` : ""}
                      </Text>
                      {refill?.note ? <Text size="sm">“{refill.note}”</Text> : null}
                    </Stack>
                    <Group gap="xs">
                      <Button
                        size="xs"
                        onClick={() => {
                          setTarget({ prescription: rx, decision: "approved" });
                        }}
                      >
                        Approve
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => {
                          setTarget({ prescription: rx, decision: "denied" });
                        }}
                      >
                        Deny
                      </Button>
                    </Group>
                  </Group>
                </Card>
              );
            })}
          </CardList>
        )}
      </PagedList>
      <RefillDecisionDialog
        target={target}
        onClose={() => {
          setTarget(null);
        }}
      />
    </>
  );
}
