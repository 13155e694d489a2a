import { Alert, Button, Card, Group, Input, Progress, Select, Stack, Table, Text, Title } from "@mantine/core";
import { IconUpload } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router";

import { errorMessage } from "../../api/errors";
import { PageHeader } from "../../components/PageHeader";
import { StatusBadge } from "../../components/StatusBadge";
import { usePreferences } from "../profile/api";
import { formatDateTime } from "../../lib/time";
import { cancelImport, isFinished, useImport, useUploadImport, type DataImport, type ImportFormat } from "./api";

const FORMATS: { value: ImportFormat; label: string }[] = [
  { value: "apple_health", label: "Apple Health (export.zip or export.xml)" },
  { value: "fitbit", label: "Fitbit (Google Takeout zip)" },
  { value: "fit", label: "Garmin or other FIT file" },
  { value: "csv", label: "CSV (type,value,unit,timestamp)" },
];

/** The counts of an import, as a table (also used on My data). */
export function ImportCounts({ item }: { item: DataImport }) {
  const skipped = Object.values(item.skipped_by_type).reduce((sum, count) => sum + count, 0);
  const rows: [string, number][] = [
    ["Records read", item.records_read],
    ["Readings stored", item.accepted],
    ["Stored as faulty (implausible)", item.faulty],
    ["Already in your record", item.duplicates],
    ["Unreadable records", item.invalid],
    ["Skipped (types Healix does not import)", skipped],
    ["Alerts opened", item.alerts_created],
  ];
  return (
    <Table withTableBorder striped aria-label="Import counts" maw={480}>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th scope="row">{label}</Table.Th>
            <Table.Td ta="right">{value.toLocaleString()}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ImportProgress({ id }: { id: string }) {
  const { timeZone } = usePreferences();
  const query = useImport(id);
  const [cancelError, setCancelError] = useState<unknown>(null);
  const item = query.data;
  if (!item) return query.error ? <Alert color="red">{errorMessage(query.error)}</Alert> : null;
  return (
    <Card withBorder>
      <Stack>
        <Group justify="space-between">
          <Title order={2} fz="lg">
            {item.filename}
          </Title>
          <StatusBadge status={item.status} />
        </Group>
        <Text size="sm" role="status" aria-live="polite">
          {item.status === "queued" && "Waiting for the importer…"}
          {item.status === "running" && `Importing: ${item.records_read.toLocaleString()} records read so far.`}
          {item.status === "done" &&
            `Finished ${item.finished_at ? formatDateTime(item.finished_at, timeZone) : ""}: ${item.accepted.toLocaleString()} readings added.`}
          {item.status === "failed" && `The import failed: ${item.error ?? "unknown error"}`}
          {item.status === "cancelled" && "The import was cancelled; readings stored until then stay."}
        </Text>
        {!isFinished(item) ? <Progress value={100} animated aria-label="Import in progress" /> : null}
        <ImportCounts item={item} />
        {item.errors.length > 0 ? (
          <Stack gap={4}>
            <Title order={3} fz="md">
              Records that could not be read
            </Title>
            <ul>
              {item.errors.map((problem) => (
                <li key={`${problem.position}-${problem.message}`}>
                  {problem.position}: {problem.message}
                </li>
              ))}
            </ul>
          </Stack>
        ) : null}
        {cancelError ? <Alert color="red">{errorMessage(cancelError)}</Alert> : null}
        <Group>
          {!isFinished(item) && !item.cancel_requested ? (
            <Button
              variant="default"
              onClick={() => {
                cancelImport(item.id)
                  .then(() => query.refetch())
                  .catch(setCancelError);
              }}
            >
              Cancel the import
            </Button>
          ) : null}
          {item.status === "done" ? (
            <Button component={Link} to="/vitals" variant="default">
              See your vitals
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Card>
  );
}

export function ImportPage() {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat | null>(null);
  const [current, setCurrent] = useState<string | null>(null);
  const { upload, progress, error, pending } = useUploadImport();
  return (
    <>
      <PageHeader
        title="Import data"
        description="Bring the readings your phone or watch has collected: an Apple Health export, a Fitbit Takeout, a FIT file or a CSV file."
      />
      <Stack gap="lg">
        <Card withBorder>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (!file) return;
              void upload(file, format).then((created) => {
                if (created) setCurrent(created.id);
              });
            }}
          >
            <Stack>
              <Input.Wrapper
                label="Export file"
                description="On an iPhone: Health app → your picture → Export All Health Data. Readings already in your record are not added twice."
                id="import-file"
              >
                <input
                  id="import-file"
                  type="file"
                  accept=".zip,.xml,.fit,.csv"
                  onChange={(event) => {
                    setFile(event.currentTarget.files?.[0] ?? null);
                  }}
                />
              </Input.Wrapper>
              <Select
                label="Format"
                placeholder="Detect automatically"
                clearable
                data={FORMATS}
                value={format}
                onChange={(value) => {
                  setFormat(FORMATS.find((item) => item.value === value)?.value ?? null);
                }}
                w={{ base: "100%", sm: 360 }}
              />
              {error ? (
                <Alert color="red" variant="default" role="alert">
                  {errorMessage(error)}
                </Alert>
              ) : null}
              {progress !== null && pending ? (
                <Progress value={Math.round(progress * 100)} aria-label="Upload progress" />
              ) : null}
              <Group>
                <Button
                  type="submit"
                  leftSection={<IconUpload size={16} aria-hidden />}
                  disabled={!file}
                  loading={pending}
                >
                  Upload and import
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
        {current ? <ImportProgress id={current} /> : null}
      </Stack>
    </>
  );
}
