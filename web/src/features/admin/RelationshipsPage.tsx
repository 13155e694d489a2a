import { Anchor, Button, Group, Modal, Stack, Switch, Table, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router";

import { errorMessage } from "../../api/errors";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DialogActions } from "../../components/DialogActions";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { ScrollTable } from "../../components/ScrollTable";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime, startOfDayIso } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { UserPicker } from "./UserPicker";
import { useEndRelationship, useRecordRelationship, useRelationships, type AdminRelationship } from "./api";
import { fullName } from "./words";

function RecordDialog({ opened, onClose, timeZone }: { opened: boolean; onClose: () => void; timeZone: string }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Record a care relationship" centered>
      {opened ? <RecordForm onClose={onClose} timeZone={timeZone} /> : null}
    </Modal>
  );
}

function RecordForm({ onClose, timeZone }: { onClose: () => void; timeZone: string }) {
  const record = useRecordRelationship();
  const [providerId, setProviderId] = useState<string | null>(null);
  const [patientId, setPatientId] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!providerId || !patientId) return;
        record.mutate(
          {
            provider_id: providerId,
            patient_id: patientId,
            reason: reason.trim() || null,
            valid_until: until ? startOfDayIso(until, timeZone) : null,
          },
          {
            onSuccess: () => {
              notifications.show({ color: "teal", message: "Care relationship recorded" });
              onClose();
            },
          },
        );
      }}
    >
      <Stack>
        <Text size="sm">
          Record the patient&apos;s consent on their behalf (given on paper or in person). The provider can then see the
          patient&apos;s health data; the patient sees the provider in their care team and can withdraw.
        </Text>
        <FormError>{record.error ? errorMessage(record.error) : null}</FormError>
        <UserPicker of="provider" label="Provider" value={providerId} onChange={setProviderId} required />
        <UserPicker of="patient" label="Patient" value={patientId} onChange={setPatientId} required />
        <TextInput
          label="Reason (optional)"
          maxLength={500}
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
          }}
        />
        <TextInput
          label="Valid until (optional)"
          description="Leave empty for a relationship until it is ended."
          type="date"
          value={until}
          onChange={(event) => {
            setUntil(event.currentTarget.value);
          }}
        />
        <DialogActions
          onCancel={onClose}
          submitLabel="Record relationship"
          loading={record.isPending}
          disabled={!providerId || !patientId}
        />
      </Stack>
    </form>
  );
}

export function RelationshipsPage() {
  const { timeZone } = usePreferences();
  const [providerId, setProviderId] = useState<string | null>(null);
  const [patientId, setPatientId] = useState<string | null>(null);
  const [includeEnded, setIncludeEnded] = useState(false);
  const [recording, setRecording] = useState(false);
  const [ending, setEnding] = useState<AdminRelationship | null>(null);
  const relationships = useRelationships({ providerId, patientId, includeEnded });
  const end = useEndRelationship();

  return (
    <>
      <PageHeader
        title="Care relationships"
        description="Which provider may see which patient's data, and through what."
        actions={
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => {
              setRecording(true);
            }}
          >
            Record a relationship
          </Button>
        }
      />
      <Group align="flex-end" mb="md" wrap="wrap">
        <UserPicker
          of="provider"
          label="Provider"
          value={providerId}
          onChange={setProviderId}
          clearable
          w={{ base: "100%", sm: 300 }}
        />
        <UserPicker
          of="patient"
          label="Patient"
          value={patientId}
          onChange={setPatientId}
          clearable
          w={{ base: "100%", sm: 300 }}
        />
        <Switch
          label="Include ended and lapsed"
          checked={includeEnded}
          onChange={(event) => {
            setIncludeEnded(event.currentTarget.checked);
          }}
          mb={8}
        />
      </Group>
      <FormError>{end.error ? errorMessage(end.error) : null}</FormError>
      <PagedList query={relationships} loadingLabel="Loading relationships…" empty="No relationship matches.">
        {(items) => (
          <ScrollTable label="Care relationships">
            <Table striped miw={760}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Provider</Table.Th>
                  <Table.Th scope="col">Patient</Table.Th>
                  <Table.Th scope="col">Kind</Table.Th>
                  <Table.Th scope="col">Since</Table.Th>
                  <Table.Th scope="col">Until</Table.Th>
                  <Table.Th scope="col">State</Table.Th>
                  <Table.Th scope="col">
                    <span className="visually-hidden-caption">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((rel) => (
                  <Table.Tr key={rel.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/admin/users/${rel.provider.id}`}>
                        {fullName(rel.provider)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/admin/users/${rel.patient.id}`}>
                        {fullName(rel.patient)}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge status={rel.kind} />
                    </Table.Td>
                    <Table.Td>{formatDateTime(rel.valid_from, timeZone)}</Table.Td>
                    <Table.Td>
                      {rel.ended_at
                        ? `Ended ${formatDateTime(rel.ended_at, timeZone)}`
                        : rel.valid_until
                          ? formatDateTime(rel.valid_until, timeZone)
                          : "Until ended"}
                    </Table.Td>
                    <Table.Td>
                      <StatusBadge
                        status={rel.active ? "active" : "inactive"}
                        label={rel.active ? "Active" : "Ended"}
                      />
                    </Table.Td>
                    <Table.Td>
                      {rel.active ? (
                        <Button
                          size="xs"
                          variant="default"
                          color="red"
                          aria-label={`End the relationship of ${fullName(rel.provider)} and ${fullName(rel.patient)}`}
                          onClick={() => {
                            setEnding(rel);
                          }}
                        >
                          End
                        </Button>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
      </PagedList>
      <RecordDialog
        opened={recording}
        onClose={() => {
          setRecording(false);
        }}
        timeZone={timeZone}
      />
      <ConfirmDialog
        opened={ending !== null}
        title="End this relationship?"
        confirmLabel="End relationship"
        danger
        loading={end.isPending}
        onConfirm={() => {
          if (!ending) return;
          end.mutate(ending.id, {
            onSettled: () => {
              setEnding(null);
            },
            onSuccess: () => notifications.show({ color: "teal", message: "Relationship ended" }),
          });
        }}
        onClose={() => {
          setEnding(null);
        }}
      >
        {ending
          ? `${fullName(ending.provider)} will no longer see ${fullName(ending.patient)}'s health data, from now on.`
          : ""}
      </ConfirmDialog>
    </>
  );
}
