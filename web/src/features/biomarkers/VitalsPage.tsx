import {
  Button,
  Card,
  Group,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { IconPlus } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router";

import { LoadMore } from "../../components/LoadMore";
import { PageHeader } from "../../components/PageHeader";
import { ScrollTable } from "../../components/ScrollTable";
import { EmptyState, ErrorState, LoadingState, QueryState } from "../../components/QueryState";
import { StatusBadge } from "../../components/StatusBadge";
import { TimeSeriesChart, type Band, type ChartPoint } from "../../components/TimeSeriesChart";
import { addDays, formatDateTime, formatTime, formatWeekdayDate, todayIn } from "../../lib/time";
import { formatNumber, formatValue, type DisplayUnit } from "../../lib/units";
import { usePreferences } from "../profile/api";
import { AddReadingDialog } from "./AddReadingDialog";
import {
  isBiomarkerCode,
  useCurrentReadings,
  useHistory,
  useSummary,
  useThresholds,
  type BiomarkerCode,
  type Summary,
} from "./api";
import { chooseRange, type RangeKind } from "./ranges";
import { foldBuckets } from "./stats";
import { useDisplayUnits } from "./useDisplayUnits";

function StatCard({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz="xl" fw={700}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}

export function bandsFrom(
  threshold:
    | {
        warning_min: number | null;
        warning_max: number | null;
        critical_min: number | null;
        critical_max: number | null;
      }
    | undefined,
  unit: DisplayUnit,
): Band[] {
  if (!threshold) return [];
  const c = (value: number | null) => (value === null ? null : unit.fromCanonical(value));
  const bands: Band[] = [{ from: c(threshold.warning_min), to: c(threshold.warning_max), level: "normal" }];
  if (threshold.warning_min !== null)
    bands.push({ from: c(threshold.critical_min), to: c(threshold.warning_min), level: "warning" });
  if (threshold.warning_max !== null)
    bands.push({ from: c(threshold.warning_max), to: c(threshold.critical_max), level: "warning" });
  if (threshold.critical_min !== null) bands.push({ from: null, to: c(threshold.critical_min), level: "critical" });
  if (threshold.critical_max !== null) bands.push({ from: c(threshold.critical_max), to: null, level: "critical" });
  return bands;
}

function SummaryTable({
  summary,
  unit,
  summed,
  timeZone,
}: {
  summary: Summary;
  unit: DisplayUnit;
  summed: boolean;
  timeZone: string;
}) {
  const label = (iso: string) =>
    summary.bucket === "hour"
      ? `${formatWeekdayDate(iso, timeZone)} ${formatTime(iso, timeZone)}`
      : formatWeekdayDate(iso, timeZone);
  const rows = summary.items.filter((bucket) => bucket.count > 0);
  if (rows.length === 0) return <EmptyState>No readings in this period.</EmptyState>;
  return (
    <ScrollTable label="The chart's data">
      <Table striped>
        <Table.Caption>The chart's data: one row per {summary.bucket} with readings</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">
              {summary.bucket === "hour" ? "Hour" : summary.bucket === "week" ? "Week of" : "Day"}
            </Table.Th>
            <Table.Th scope="col">Readings</Table.Th>
            {summed ? <Table.Th scope="col">Total</Table.Th> : null}
            <Table.Th scope="col">Average</Table.Th>
            <Table.Th scope="col">Lowest</Table.Th>
            <Table.Th scope="col">Highest</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((bucket) => (
            <Table.Tr key={bucket.start}>
              <Table.Td>{label(bucket.start)}</Table.Td>
              <Table.Td>{bucket.count}</Table.Td>
              {summed ? <Table.Td>{formatValue(bucket.sum, unit)}</Table.Td> : null}
              <Table.Td>{bucket.avg === null ? "–" : formatValue(bucket.avg, unit)}</Table.Td>
              <Table.Td>{bucket.min === null ? "–" : formatValue(bucket.min, unit)}</Table.Td>
              <Table.Td>{bucket.max === null ? "–" : formatValue(bucket.max, unit)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}

function HistoryTable({
  type,
  period,
  unit,
  timeZone,
}: {
  type: BiomarkerCode;
  period: { from: string; to: string };
  unit: DisplayUnit;
  timeZone: string;
}) {
  const history = useHistory(type, period);
  if (history.isPending) return <LoadingState label="Loading readings…" />;
  if (history.error) return <ErrorState error={history.error} onRetry={() => void history.refetch()} />;
  const readings = history.data.pages.flatMap((page) => page.items);
  if (readings.length === 0) return <EmptyState>No readings in this period.</EmptyState>;
  return (
    <>
      <ScrollTable label="Reading history">
        <Table striped>
          <Table.Caption>Readings, newest first. Faulty readings are kept but not counted.</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Measured</Table.Th>
              <Table.Th scope="col">Value</Table.Th>
              <Table.Th scope="col" visibleFrom="sm">
                Source
              </Table.Th>
              <Table.Th scope="col">Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {readings.map((reading) => (
              <Table.Tr key={reading.id}>
                <Table.Td>{formatDateTime(reading.measured_at, timeZone)}</Table.Td>
                <Table.Td>{formatValue(reading.value, unit, 2)}</Table.Td>
                <Table.Td visibleFrom="sm">{reading.source === "manual" ? "Entered by hand" : "Device"}</Table.Td>
                <Table.Td>
                  {reading.status === "faulty" ? (
                    <StatusBadge
                      status="faulty"
                      label={`Faulty${reading.fault_reason ? `: ${reading.fault_reason.replace(/_/g, " ")}` : ""}`}
                    />
                  ) : (
                    <StatusBadge status="ok" />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <LoadMore {...history} hasNextPage={history.hasNextPage} label="Show older readings" />
    </>
  );
}

export function VitalsPage() {
  const { type: requested } = useParams();
  const type: BiomarkerCode = isBiomarkerCode(requested) ? requested : "heart_rate";
  const navigate = useNavigate();
  const { timeZone } = usePreferences();
  const { types, unitFor, nameOf } = useDisplayUnits();
  const catalogType = types.get(type);
  const summed = catalogType ? catalogType.aggregation !== "mean" : false;
  const [kind, setKind] = useState<RangeKind>("week");
  const today = todayIn(timeZone);
  const [custom, setCustom] = useState({ from: addDays(today, -13), to: today });
  const [view, setView] = useState<"chart" | "table">("chart");
  const [adding, setAdding] = useState(false);
  const range = useMemo(() => chooseRange(kind, timeZone, summed, custom), [kind, timeZone, summed, custom]);
  const summary = useSummary(type, range.bucket, range.period);
  const current = useCurrentReadings();
  const thresholds = useThresholds();
  const unit = unitFor(type);
  const latest = current.data?.readings.find((reading) => reading.biomarker_type === type);
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

  return (
    <>
      <PageHeader
        title={name}
        description="Your readings over time, with your normal range shaded."
        actions={
          <Button
            leftSection={<IconPlus size={16} aria-hidden />}
            onClick={() => {
              setAdding(true);
            }}
          >
            Add a reading
          </Button>
        }
      />
      <Stack gap="lg">
        <Group align="flex-end" wrap="wrap">
          <Select
            label="Measurement"
            data={[...types.values()].map((item) => ({ value: item.code, label: item.display_name }))}
            value={type}
            allowDeselect={false}
            onChange={(value) => {
              if (value) void navigate(`/vitals/${value}`);
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
              { value: "custom", label: "Custom" },
            ]}
          />
          {kind === "custom" ? (
            <Group gap="xs" align="flex-end">
              <TextInput
                label="From"
                type="date"
                value={custom.from}
                max={custom.to}
                onChange={(event) => {
                  setCustom({ ...custom, from: event.currentTarget.value });
                }}
              />
              <TextInput
                label="To"
                type="date"
                value={custom.to}
                min={custom.from}
                onChange={(event) => {
                  setCustom({ ...custom, to: event.currentTarget.value });
                }}
              />
            </Group>
          ) : null}
        </Group>

        <QueryState query={summary} loadingLabel="Loading the chart…">
          {(data) => {
            const stats = foldBuckets(data);
            const inRange = data.time_in_range;
            return (
              <Stack gap="lg">
                <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }}>
                  <StatCard
                    label="Current"
                    value={latest ? formatValue(latest.value, unit) : "–"}
                    hint={latest ? formatDateTime(latest.measured_at, timeZone) : "No reading yet"}
                  />
                  {summed ? (
                    <StatCard label="Total" value={formatValue(stats.total, unit)} hint={`${stats.count} readings`} />
                  ) : (
                    <StatCard
                      label="Average"
                      value={stats.average === null ? "–" : formatValue(stats.average, unit)}
                      hint={`${stats.count} readings`}
                    />
                  )}
                  <StatCard
                    label={type === "heart_rate" ? "Lowest (resting)" : "Lowest"}
                    value={stats.lowest === null ? "–" : formatValue(stats.lowest, unit)}
                  />
                  <StatCard label="Peak" value={stats.peak === null ? "–" : formatValue(stats.peak, unit)} />
                  <StatCard
                    label="Time in range"
                    value={inRange === null ? "–" : `${formatNumber(inRange * 100, 0)}%`}
                    hint="Share of readings in your normal range"
                  />
                </SimpleGrid>
                <Card withBorder>
                  <Group justify="space-between" mb="sm">
                    <Title order={2} fz="lg">
                      {summed ? "Totals" : "Averages"} per {data.bucket}
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
                  {view === "chart" ? (
                    stats.count === 0 ? (
                      <EmptyState>No readings in this period.</EmptyState>
                    ) : (
                      <>
                        <TimeSeriesChart
                          points={points}
                          kind={summed ? "bars" : "line"}
                          bands={bands}
                          timeZone={timeZone}
                          unitLabel={unit.symbol}
                          label={`Chart of ${name} per ${data.bucket}. The same data is in the table view.`}
                        />
                        {bands.length > 0 ? (
                          <Text size="xs" c="dimmed" mt="xs">
                            Shaded: green is your normal range, yellow the warning range, red the critical range.
                          </Text>
                        ) : null}
                      </>
                    )
                  ) : (
                    <SummaryTable summary={data} unit={unit} summed={summed} timeZone={timeZone} />
                  )}
                </Card>
              </Stack>
            );
          }}
        </QueryState>

        <Card withBorder>
          <Title order={2} fz="lg" mb="sm">
            History
          </Title>
          <HistoryTable type={type} period={range.period} unit={unit} timeZone={timeZone} />
        </Card>
      </Stack>
      <AddReadingDialog
        opened={adding}
        onClose={() => {
          setAdding(false);
        }}
        initialType={type}
      />
    </>
  );
}
