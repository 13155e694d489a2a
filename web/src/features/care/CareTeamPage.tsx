import { Button, Card, Group, Modal, Select, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconPlus } from "@tabler/icons-react";
import { useState } from "react";

import { errorMessage } from "../../api/errors";
import { CardList } from "../../components/CardList";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DialogActions } from "../../components/DialogActions";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime, startOfDayIso } from "../../lib/time";
import { useProviderDirectory } from "../appointments/api";
import { usePreferences } from "../profile/api";
import { useAddToCareTeam, useCareTeam, useWithdrawConsent, type CareTeamMember } from "./api";

function AddProviderDialog({ opened, onClose, timeZone }: { opened: boolean; onClose: () => void; timeZone: string }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Add a provider to your care team" centered>
      <AddProviderForm onClose={onClose} timeZone={timeZone} />
    </Modal>
  );
}

/** Mounted only while the dialog is open: the directory is searched then, not on every visit. */
function AddProviderForm({ onClose, timeZone }: { onClose: () => void; timeZone: string }) {
  const [search, setSearch] = useState("");
  const [query] = useDebouncedValue(search.trim(), 300);
  const directory = useProviderDirectory(query);
  const add = useAddToCareTeam();
  const [providerId, setProviderId] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const close = onClose;
  const options = (directory.data?.items ?? []).map((provider) => ({
    value: provider.id,
    label: `Dr ${provider.first_name} ${provider.last_name}${provider.specialization ? ` (${provider.specialization})` : ""}`,
  }));
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (!providerId) return;
        add.mutate(
          {
            provider_id: providerId,
            reason: reason.trim() || null,
            valid_until: until ? startOfDayIso(until, timeZone) : null,
          },
          {
            onSuccess: () => {
              notifications.show({ color: "teal", message: "Provider added: they can now see your health data" });
              close();
            },
          },
        );
      }}
    >
      <Stack>
        <Text size="sm">
          A provider in your care team can see your readings, alerts, goals and prescriptions. You can withdraw this at
          any time.
        </Text>
        <FormError>{add.error ? errorMessage(add.error) : null}</FormError>
        <Select
          label="Provider"
          description="Type part of a name or a specialty"
          placeholder="Choose a provider"
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          // the directory search already filtered on the server
          filter={({ options: found }) => found}
          data={options}
          value={providerId}
          onChange={setProviderId}
          required
          nothingFoundMessage="No provider found"
        />
        <TextInput
          label="Reason (optional)"
          maxLength={500}
          value={reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
          }}
        />
        <TextInput
          label="Share until (optional)"
          description="Leave empty to share until you withdraw."
          type="date"
          value={until}
          onChange={(event) => {
            setUntil(event.currentTarget.value);
          }}
        />
        <DialogActions onCancel={close} submitLabel="Add to care team" loading={add.isPending} disabled={!providerId} />
      </Stack>
    </form>
  );
}

export function CareTeamPage() {
  const { timeZone } = usePreferences();
  const team = useCareTeam();
  const withdraw = useWithdrawConsent();
  const [adding, setAdding] = useState(false);
  const [leaving, setLeaving] = useState<CareTeamMember | null>(null);
  return (
    <>
      <PageHeader
        title="Care team"
        description="The providers who can see your data, and why."
        actions={
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => {
              setAdding(true);
            }}
          >
            Add a provider
          </Button>
        }
      />
      <QueryState
        query={team}
        isEmpty={(page) => page.items.length === 0}
        empty="No provider can see your data at the moment."
      >
        {(page) => (
          <CardList label="Care team">
            {page.items.map((member) => (
              <Card withBorder component="li" key={member.relationship_id}>
                <Group justify="space-between" align="flex-start" wrap="wrap">
                  <Stack gap={4}>
                    <Group gap="xs">
                      <Text fw={600}>
                        Dr {member.first_name} {member.last_name}
                      </Text>
                      <StatusBadge status={member.kind} />
                    </Group>
                    {member.specialization ? <Text size="sm">{member.specialization}</Text> : null}
                    <Text size="sm" c="dimmed">
                      {member.kind === "emergency"
                        ? `Emergency access without your consent${member.valid_until ? `, ends ${formatDateTime(member.valid_until, timeZone)}` : ""}.`
                        : `You consented on ${formatDateTime(member.valid_from, timeZone)}${member.valid_until ? `, until ${formatDateTime(member.valid_until, timeZone)}` : ""}.`}
                      {member.reason ? ` Reason: ${member.reason}` : ""}
                    </Text>
                  </Stack>
                  {member.kind === "care" ? (
                    <Button
                      size="xs"
                      variant="default"
                      color="red"
                      onClick={() => {
                        setLeaving(member);
                      }}
                    >
                      Withdraw consent
                    </Button>
                  ) : null}
                </Group>
              </Card>
            ))}
          </CardList>
        )}
      </QueryState>
      <AddProviderDialog
        opened={adding}
        onClose={() => {
          setAdding(false);
        }}
        timeZone={timeZone}
      />
      <ConfirmDialog
        opened={leaving !== null}
        title="Withdraw consent?"
        confirmLabel="Withdraw consent"
        danger
        loading={withdraw.isPending}
        onClose={() => {
          setLeaving(null);
        }}
        onConfirm={() => {
          if (!leaving) return;
          withdraw.mutate(leaving.provider_id, {
            onSuccess: () => {
              notifications.show({ color: "teal", message: "Consent withdrawn" });
              setLeaving(null);
            },
            onError: (error) => notifications.show({ color: "red", message: errorMessage(error) }),
          });
        }}
      >
        {leaving
          ? `Dr ${leaving.first_name} ${leaving.last_name} loses access to your data at once. Your appointments and prescriptions stay.`
          : ""}
      </ConfirmDialog>
    </>
  );
}
