import {
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMemo, useState } from "react";

import { ApiError, errorMessage } from "../../api/errors";
import { FormError } from "../../components/FormError";
import { EmptyState, QueryState } from "../../components/QueryState";
import { ScrollTable } from "../../components/ScrollTable";
import { TimeSeriesChart, type ChartPoint } from "../../components/TimeSeriesChart";
import { formatDateTime, formatTime, formatWeekdayDate } from "../../lib/time";
import { formatValue } from "../../lib/units";
import type { BiomarkerCode } from "../biomarkers/api";
import { chooseRange, type RangeKind } from "../biomarkers/ranges";
import { useDisplayUnits } from "../biomarkers/useDisplayUnits";
import { bandsFrom } from "../biomarkers/VitalsPage";
import {
  usePatientLatest,
  usePatientSummary,
  usePatientThresholds,
  useResetThreshold,
  useSetThreshold,
  type PatientSummary,
} from "./api";

type Threshold = NonNullable<ReturnType<typeof usePatientThresholds>["data"]>["items"][number];
const BOUNDS = [
  { key: "critical_min", label: "Critical low" },
  { key: "warning_min", label: "Warning low" },
  { key: "warning_max", label: "Warning high" },
  { key: "critical_max", label: "Critical high" },
] as const;
type BoundKey = (typeof BOUNDS)[number]["key"];

/** Trends of one biomarker with the patient's thresholds shaded, and the thresholds' editor. */
export function ChartVitals({ patient, timeZone }: { patient: PatientSummary; timeZone: string }) {
  const { types, unitFor, nameOf } = useDisplayUnits();
  const [type, setType] = useState<BiomarkerCode>("heart_rate");
  const [kind, setKind] = useState<RangeKind>("week");
  const [view, setView] = useState<"chart" | "table">("chart");
  const [editing, setEditing] = useState<Threshold | null>(null);
  const catalogType = types.get(type);
  const summed = catalogType ? catalogType.aggregation !== "mean" : false;
  const range = useMemo(() => chooseRange(kind, timeZone, summed), [kind, timeZone, summed]);
  const summary = usePatientSummary(patient.id, type, range.bucket, range.period);
  const thresholds = usePatientThresholds(patient.id);
  const latest = usePatientLatest(patient.id);
  const unit = unitFor(type);
  const threshold = thresholds.data?.items.find((item) => item.biomarker_type === type);
  const bands = useMemo(() => bandsFrom(threshold, unit), [threshold, unit]);
  const points = useMemo<ChartPoint[]>(
    () =>
      (summary.data?.items ?? []).map((bucket) => ({
        t: Date.parse(bucket.start) / 1000,
        value: summed
          ? bucket.count
            ? unit.fromCanonical(bucket.sum)
            : null
          : bucket.avg === null
            ? null
            : unit.fromCanonical(bucket.avg),
        min: bucket.min === null ? null : unit.fromCanonical(bucket.min),
        max: bucket.max === null ? null : unit.fromCanonical(bucket.max),
      })),
    [summary.data, summed, unit],
  );
  const name = nameOf(type);
  const current = latest.data?.readings.find((reading) => reading.biomarker_type === type);

  return (
    <Stack gap="lg">
      <Group align="flex-end" wrap="wrap">
        <Select
          label="Measurement"
          data={[...types.values()].map((item) => ({ value: item.code, label: item.display_name }))}
          value={type}
          allowDeselect={false}
          onChange={(value) => {
            if (value) setType(value as BiomarkerCode);
          }}
          w={260}
        />
        <SegmentedControl
          aria-label="Period"
          value={kind}
          onChange={(value) => {
            setKind(value);
          }}
          data={[
            { value: "day", label: "Day" },
            { value: "week", label: "Week" },
            { value: "month", label: "Month" },
          ]}
        />
      </Group>
      <Text>
        Latest {name.toLowerCase()}:{" "}
        <strong>
          {current
            ? `${formatValue(current.value, unit)}, ${formatDateTime(current.measured_at, timeZone)}`
            : "none recorded"}
        </strong>
      </Text>
      <Card withBorder>
        <Group justify="space-between" mb="sm" wrap="wrap">
          <Title order={3} fz="lg">
            {name}: {summed ? "totals" : "averages"} per {range.bucket}
          </Title>
          <SegmentedControl
            aria-label="Show as"
            size="xs"
            value={view}
            onChange={(value) => {
              setView(value);
            }}
            data={[
              { value: "chart", label: "Chart" },
              { value: "table", label: "Table" },
            ]}
          />
        </Group>
        <QueryState query={summary} loadingLabel="Loading the chart…">
          {(data) => {
            const rows = data.items.filter((bucket) => bucket.count > 0);
            if (rows.length === 0) return <EmptyState>No readings in this period.</EmptyState>;
            if (view === "chart") {
              return (
                <>
                  <TimeSeriesChart
                    points={points}
                    kind={summed ? "bars" : "line"}
                    bands={bands}
                    timeZone={timeZone}
                    unitLabel={unit.symbol}
                    label={`Chart of ${name} per ${data.bucket}. The same data is in the table view.`}
                  />
                  <Text size="xs" c="dimmed" mt="xs">
                    Shaded: green is the patient's normal range, yellow the warning range, red the critical range.
                  </Text>
                </>
              );
            }
            return (
              <ScrollTable label={`${name} per ${data.bucket}`}>
                <Table striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{data.bucket === "hour" ? "Hour" : "Day"}</Table.Th>
                      <Table.Th scope="col">Readings</Table.Th>
                      <Table.Th scope="col">{summed ? "Total" : "Average"}</Table.Th>
                      <Table.Th scope="col">Lowest</Table.Th>
                      <Table.Th scope="col">Highest</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((bucket) => (
                      <Table.Tr key={bucket.start}>
                        <Table.Td>
                          {formatWeekdayDate(bucket.start, timeZone)}
                          {data.bucket === "hour" ? ` ${formatTime(bucket.start, timeZone)}` : ""}
                        </Table.Td>
                        <Table.Td>{bucket.count}</Table.Td>
                        <Table.Td>
                          {summed
                            ? formatValue(bucket.sum, unit)
                            : bucket.avg === null
                              ? "–"
                              : formatValue(bucket.avg, unit)}
                        </Table.Td>
                        <Table.Td>{bucket.min === null ? "–" : formatValue(bucket.min, unit)}</Table.Td>
                        <Table.Td>{bucket.max === null ? "–" : formatValue(bucket.max, unit)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            );
          }}
        </QueryState>
      </Card>
      <Card withBorder>
        <Title order={3} fz="lg" mb="sm">
          Thresholds
        </Title>
        <QueryState query={thresholds} loadingLabel="Loading thresholds…">
          {(data) => (
            <ScrollTable label="Thresholds">
              <Table striped>
                <Table.Caption>
                  Values in each measurement's stored unit. Alerts open outside these bounds.
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Measurement</Table.Th>
                    {BOUNDS.map((bound) => (
                      <Table.Th scope="col" key={bound.key}>
                        {bound.label}
                      </Table.Th>
                    ))}
                    <Table.Th scope="col">Set by</Table.Th>
                    <Table.Th scope="col">
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((item) => (
                    <Table.Tr key={item.biomarker_type}>
                      <Table.Td>{nameOf(item.biomarker_type)}</Table.Td>
                      {BOUNDS.map((bound) => (
                        <Table.Td key={bound.key}>
                          {item[bound.key] === null ? "–" : `${item[bound.key]} ${item.unit}`}
                        </Table.Td>
                      ))}
                      <Table.Td>{item.personal ? "Personal" : "Default"}</Table.Td>
                      <Table.Td>
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={`Edit thresholds of ${nameOf(item.biomarker_type)}`}
                          onClick={() => {
                            setEditing(item);
                          }}
                        >
                          Edit
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollTable>
          )}
        </QueryState>
      </Card>
      <Modal
        opened={editing !== null}
        onClose={() => {
          setEditing(null);
        }}
        title={editing ? `Thresholds: ${nameOf(editing.biomarker_type)}` : "Thresholds"}
        centered
      >
        {editing ? (
          <ThresholdForm
            patientId={patient.id}
            threshold={editing}
            onClose={() => {
              setEditing(null);
            }}
          />
        ) : null}
      </Modal>
    </Stack>
  );
}

function ThresholdForm({
  patientId,
  threshold,
  onClose,
}: {
  patientId: string;
  threshold: Threshold;
  onClose: () => void;
}) {
  const set = useSetThreshold(patientId);
  const reset = useResetThreshold(patientId);
  const [values, setValues] = useState<Record<BoundKey, number | string>>({
    critical_min: threshold.critical_min ?? "",
    warning_min: threshold.warning_min ?? "",
    warning_max: threshold.warning_max ?? "",
    critical_max: threshold.critical_max ?? "",
  });
  const number = (value: number | string) => (value === "" ? null : Number(value));
  const fieldErrors = set.error instanceof ApiError ? set.error.fieldErrors() : {};
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        set.mutate(
          {
            type: threshold.biomarker_type,
            critical_min: number(values.critical_min),
            warning_min: number(values.warning_min),
            warning_max: number(values.warning_max),
            critical_max: number(values.critical_max),
          },
          {
            onSuccess: () => {
              notifications.show({ color: "teal", message: "Thresholds saved" });
              onClose();
            },
          },
        );
      }}
    >
      <Stack>
        <Text size="sm">Leave a bound empty for none. Unit: {threshold.unit}.</Text>
        <FormError>{set.error ? errorMessage(set.error) : reset.error ? errorMessage(reset.error) : null}</FormError>
        {BOUNDS.map((bound) => (
          <NumberInput
            key={bound.key}
            label={`${bound.label} (${threshold.unit})`}
            value={values[bound.key]}
            error={fieldErrors[bound.key]}
            decimalScale={2}
            onChange={(value) => {
              setValues({ ...values, [bound.key]: value });
            }}
          />
        ))}
        <Group justify="space-between">
          <Button
            variant="subtle"
            disabled={!threshold.personal}
            loading={reset.isPending}
            onClick={() => {
              reset.mutate(threshold.biomarker_type, {
                onSuccess: () => {
                  notifications.show({ color: "teal", message: "Default thresholds restored" });
                  onClose();
                },
              });
            }}
          >
            Restore defaults
          </Button>
          <Group gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={set.isPending}>
              Save thresholds
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
