import { Button, Group, Select, Table, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";

import { errorMessage } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { ScrollTable } from "../../components/ScrollTable";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime } from "../../lib/time";
import { usePreferences } from "../profile/api";
import { useJobs, useRetryJob, type Job } from "./api";

const STATUSES = [
  { value: "failed", label: "Failed" },
  { value: "pending", label: "Pending" },
  { value: "running", label: "Running" },
  { value: "done", label: "Done" },
  { value: "skipped", label: "Skipped" },
  { value: "cancelled", label: "Cancelled" },
];

export function JobsPage() {
  const { timeZone } = usePreferences();
  const [status, setStatus] = useState<Job["status"] | null>("failed");
  const jobs = useJobs(status);
  const retry = useRetryJob();
  return (
    <>
      <PageHeader
        title="Background jobs"
        description="Mails and other work done after a request. A failed job used up its retries; run it again once the cause is fixed."
      />
      <Group mb="md">
        <Select
          label="Status"
          placeholder="Any status"
          data={STATUSES}
          value={status}
          onChange={(value) => {
            setStatus(value as Job["status"] | null);
          }}
          clearable
          w={{ base: "100%", sm: 200 }}
        />
      </Group>
      <FormError>{retry.error ? errorMessage(retry.error) : null}</FormError>
      <PagedList
        query={jobs}
        loadingLabel="Loading jobs…"
        empty={status === "failed" ? "No failed jobs." : "No job matches."}
      >
        {(items) => (
          <ScrollTable label="Background jobs">
            <Table striped miw={760}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Kind</Table.Th>
                  <Table.Th scope="col">Created</Table.Th>
                  <Table.Th scope="col">Attempts</Table.Th>
                  <Table.Th scope="col">Status</Table.Th>
                  <Table.Th scope="col">Last error</Table.Th>
                  <Table.Th scope="col">
                    <span className="visually-hidden-caption">Actions</span>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((job) => (
                  <Table.Tr key={job.id}>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {job.kind}
                      </Text>
                    </Table.Td>
                    <Table.Td>{formatDateTime(job.created_at, timeZone)}</Table.Td>
                    <Table.Td>{job.attempts}</Table.Td>
                    <Table.Td>
                      <StatusBadge
                        status={job.status === "failed" ? "error" : job.status}
                        label={job.status.charAt(0).toUpperCase() + job.status.slice(1)}
                      />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ wordBreak: "break-word" }}>
                        {job.last_error ?? "—"}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {job.status === "failed" ? (
                        <Button
                          size="xs"
                          variant="default"
                          loading={retry.isPending && retry.variables === job.id}
                          aria-label={`Retry ${job.kind} job`}
                          onClick={() => {
                            retry.mutate(job.id, {
                              onSuccess: () => notifications.show({ color: "teal", message: "Job handed to a worker" }),
                            });
                          }}
                        >
                          Retry
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
    </>
  );
}
