import {
  Alert,
  Anchor,
  Button,
  Card,
  Code,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconShieldCheck } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";

import { errorMessage } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { ScrollTable } from "../../components/ScrollTable";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { useAuditLog, useVerifyChain, type AuditEntry } from "./api";
import { isUuid, NO_AUDIT_FILTERS, periodError, type AuditFilters, type Outcome } from "./words";

const OUTCOMES = [
  { value: "success", label: "Success" },
  { value: "failure", label: "Failure" },
  { value: "denied", label: "Denied" },
];

function VerifyChain() {
  const verify = useVerifyChain();
  const result = verify.data;
  return (
    <Card withBorder component="section" aria-labelledby="verify-heading">
      <Title order={2} fz="lg" mb="xs" id="verify-heading">
        Verify the chain
      </Title>
      <Text size="sm" mb="sm">
        Every row carries the hash of the one before it. Verifying recomputes the whole chain and names the first row
        that was altered, removed or reordered.
      </Text>
      <Group>
        <Button
          leftSection={<IconShieldCheck size={16} aria-hidden />}
          loading={verify.isPending}
          onClick={() => {
            verify.mutate();
          }}
        >
          Verify the chain
        </Button>
      </Group>
      <div aria-live="polite">
        {verify.error ? (
          <FormError>{errorMessage(verify.error)}</FormError>
        ) : result ? (
          <Alert
            mt="sm"
            color={result.ok ? "teal" : "red"}
            variant="light"
            title={result.ok ? "The chain is intact" : "The chain is broken"}
          >
            <Text size="sm">{result.rows_checked} rows checked.</Text>
            {!result.ok ? (
              <Text size="sm">
                First bad row: {result.first_bad_row ?? "unknown"}
                {result.problem ? ` (${result.problem})` : ""}.
              </Text>
            ) : null}
          </Alert>
        ) : null}
      </div>
      <Title order={3} fz="md" mt="md" mb={4}>
        Checkpoints
      </Title>
      <Text size="sm">
        The chain cannot show newest rows cut off, or a chain rebuilt by someone with write access to the database.
        Checkpoints catch both: take one regularly (for example from cron) and keep the file on another host or
        write-once storage, then verify against it.
      </Text>
      <Code block mt="xs" className="code-wrap">
        {`flask --app healix audit checkpoint /secure/healix-audit-checkpoints.jsonl
flask --app healix audit verify --checkpoints /secure/healix-audit-checkpoints.jsonl`}
      </Code>
    </Card>
  );
}

function EntryDialog({
  entry,
  timeZone,
  onClose,
}: {
  entry: AuditEntry | null;
  timeZone: string;
  onClose: () => void;
}) {
  const rows: [string, React.ReactNode][] = entry
    ? [
        ["Sequence", entry.seq],
        ["Time", formatDateTime(entry.created_at, timeZone)],
        ["Action", entry.action],
        [
          "Outcome",
          <StatusBadge key="o" status={entry.outcome === "success" ? "ok" : "error"} label={entry.outcome} />,
        ],
        ["Severity", entry.severity],
        [
          "Actor",
          entry.actor_id ? (
            <Anchor key="a" component={Link} to={`/admin/users/${entry.actor_id}`} onClick={onClose}>
              {entry.actor_id} ({entry.actor_role ?? "unknown role"})
            </Anchor>
          ) : (
            "The system"
          ),
        ],
        ["Resource", [entry.resource_type, entry.resource_id].filter(Boolean).join(" ") || "—"],
        ["Patient", entry.patient_id ?? "—"],
        ["IP address", entry.ip_address ?? "—"],
        ["User agent", entry.user_agent ?? "—"],
        ["Request id", entry.request_id ?? "—"],
        ["Previous hash", <Code key="p">{entry.prev_hash}</Code>],
        ["Row hash", <Code key="r">{entry.row_hash}</Code>],
      ]
    : [];
  return (
    <Modal opened={entry !== null} onClose={onClose} title={`Audit entry ${entry?.seq ?? ""}`} size="lg" centered>
      <Stack>
        <Table layout="fixed">
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th scope="row" w="30%">
                  {label}
                </Table.Th>
                <Table.Td style={{ wordBreak: "break-all" }}>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text fw={600}>Details</Text>
        <Code block className="code-wrap">
          {JSON.stringify(entry?.details ?? {}, null, 2)}
        </Code>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function filtersFrom(params: URLSearchParams): AuditFilters {
  return {
    ...NO_AUDIT_FILTERS,
    userId: params.get("user_id") ?? "",
    action: params.get("action") ?? "",
    resourceType: params.get("resource_type") ?? "",
    outcome: (params.get("outcome") as Outcome | null) ?? null,
    fromDate: params.get("from") ?? "",
    toDate: params.get("to") ?? "",
  };
}

function paramsFrom(filters: AuditFilters): Record<string, string> {
  const entries: [string, string][] = [
    ["user_id", filters.userId.trim()],
    ["action", filters.action.trim()],
    ["resource_type", filters.resourceType.trim()],
    ["outcome", filters.outcome ?? ""],
    ["from", filters.fromDate],
    ["to", filters.toDate],
  ];
  return Object.fromEntries(entries.filter(([, value]) => value !== ""));
}

export function AuditLogPage() {
  const { timeZone } = usePreferences();
  const [params, setParams] = useSearchParams();
  // the applied filters live in the address (shareable, survive a reload); the form holds what is typed
  const applied = filtersFrom(params);
  const [draft, setDraft] = useState<AuditFilters>(applied);
  const [open, setOpen] = useState<AuditEntry | null>(null);
  const log = useAuditLog(applied, timeZone);
  const userIdError = draft.userId.trim() && !isUuid(draft.userId) ? "A user id looks like 0195f1c2-7b00-…" : null;
  const dateError = periodError(draft.fromDate, draft.toDate);
  const set = (patch: Partial<AuditFilters>) => {
    setDraft((current) => ({ ...current, ...patch }));
  };

  return (
    <>
      <PageHeader title="Audit log" description="Who did what, when, and with what outcome; newest first." />
      <Stack gap="lg">
        <VerifyChain />
        <Card withBorder component="section" aria-labelledby="filters-heading">
          <Title order={2} fz="lg" mb="sm" id="filters-heading">
            Filters
          </Title>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (userIdError || dateError) return;
              setParams(paramsFrom(draft));
            }}
          >
            <Group align="flex-start" wrap="wrap">
              <TextInput
                label="User id"
                description="The acting user"
                value={draft.userId}
                error={userIdError}
                onChange={(event) => {
                  set({ userId: event.currentTarget.value });
                }}
                w={{ base: "100%", sm: 330 }}
              />
              <TextInput
                label="Action"
                description="e.g. ADMIN_UPDATE_USER"
                value={draft.action}
                onChange={(event) => {
                  set({ action: event.currentTarget.value });
                }}
                maxLength={64}
                w={{ base: "100%", sm: 240 }}
              />
              <TextInput
                label="Resource type"
                description="e.g. user, prescription"
                value={draft.resourceType}
                onChange={(event) => {
                  set({ resourceType: event.currentTarget.value });
                }}
                maxLength={40}
                w={{ base: "100%", sm: 200 }}
              />
              <Select
                label="Outcome"
                description="Any when empty"
                placeholder="Any outcome"
                data={OUTCOMES}
                value={draft.outcome}
                onChange={(value) => {
                  set({ outcome: value as Outcome | null });
                }}
                clearable
                w={{ base: "100%", sm: 170 }}
              />
              <TextInput
                label="From"
                description="First day"
                type="date"
                value={draft.fromDate}
                onChange={(event) => {
                  set({ fromDate: event.currentTarget.value });
                }}
                w={{ base: "100%", sm: 170 }}
              />
              <TextInput
                label="To"
                description="Last day, included"
                type="date"
                value={draft.toDate}
                error={dateError}
                onChange={(event) => {
                  set({ toDate: event.currentTarget.value });
                }}
                w={{ base: "100%", sm: 170 }}
              />
            </Group>
            <Group mt="md">
              <Button type="submit">Apply filters</Button>
              <Button
                variant="default"
                onClick={() => {
                  setDraft(NO_AUDIT_FILTERS);
                  setParams({});
                }}
              >
                Clear
              </Button>
            </Group>
          </form>
        </Card>
        <section aria-labelledby="entries-heading">
          <Title order={2} fz="lg" mb="sm" id="entries-heading">
            Entries
          </Title>
          <PagedList query={log} loadingLabel="Loading the audit log…" empty="No entry matches these filters.">
            {(items) => (
              <ScrollTable label="Audit log entries">
                <Table striped miw={820}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">#</Table.Th>
                      <Table.Th scope="col">Time</Table.Th>
                      <Table.Th scope="col">Action</Table.Th>
                      <Table.Th scope="col">Actor</Table.Th>
                      <Table.Th scope="col">Resource</Table.Th>
                      <Table.Th scope="col">Outcome</Table.Th>
                      <Table.Th scope="col">
                        <span className="visually-hidden-caption">Details</span>
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.map((entry) => (
                      <Table.Tr key={entry.id}>
                        <Table.Td>{entry.seq}</Table.Td>
                        <Table.Td>{formatDateTime(entry.created_at, timeZone)}</Table.Td>
                        <Table.Td>
                          <Text size="sm" ff="monospace">
                            {entry.action}
                          </Text>
                        </Table.Td>
                        <Table.Td>{entry.actor_role ?? "system"}</Table.Td>
                        <Table.Td>{entry.resource_type ?? "—"}</Table.Td>
                        <Table.Td>
                          <StatusBadge
                            status={
                              entry.outcome === "success" ? "ok" : entry.outcome === "denied" ? "denied" : "error"
                            }
                            label={entry.outcome.charAt(0).toUpperCase() + entry.outcome.slice(1)}
                          />
                        </Table.Td>
                        <Table.Td>
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={`Details of entry ${entry.seq}`}
                            onClick={() => {
                              setOpen(entry);
                            }}
                          >
                            Details
                          </Button>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            )}
          </PagedList>
        </section>
      </Stack>
      <EntryDialog
        entry={open}
        timeZone={timeZone}
        onClose={() => {
          setOpen(null);
        }}
      />
    </>
  );
}
