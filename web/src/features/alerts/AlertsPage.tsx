import { Button, Card, Group, Select, Stack, Text } from "@mantine/core";
import { useState } from "react";

import { CardList } from "../../components/CardList";
import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime } from "../../lib/time";
import { formatValue } from "../../lib/units";
import { useDisplayUnits } from "../biomarkers/useDisplayUnits";
import { usePreferences } from "../profile/api";
import { AlertActionDialog, type AlertAction } from "./AlertActionDialog";
import { useAlerts, type Alert, type AlertFilters } from "./api";

const STATUS_OPTIONS = [
  { value: "open", label: "Open" },
  { value: "acknowledged", label: "Acknowledged" },
  { value: "resolved", label: "Resolved" },
  { value: "dismissed", label: "Dismissed" },
];
const SEVERITY_OPTIONS = [
  { value: "critical", label: "Critical" },
  { value: "warning", label: "Warning" },
];

export function AlertsPage() {
  const [filters, setFilters] = useState<AlertFilters>({ status: "open", severity: null, biomarker_type: null });
  const alerts = useAlerts(filters);
  const { timeZone } = usePreferences();
  const { types, unitFor, nameOf } = useDisplayUnits();
  const [target, setTarget] = useState<{ alert: Alert; action: AlertAction } | null>(null);

  return (
    <>
      <PageHeader
        title="Alerts"
        description="Readings outside your range. Acknowledge what you have seen, dismiss what needs no follow-up."
      />
      <Group mb="md" align="flex-end" wrap="wrap">
        <Select
          label="Status"
          placeholder="Any status"
          clearable
          data={STATUS_OPTIONS}
          value={filters.status}
          onChange={(value) => {
            setFilters({ ...filters, status: value as AlertFilters["status"] });
          }}
          w={180}
        />
        <Select
          label="Severity"
          placeholder="Any severity"
          clearable
          data={SEVERITY_OPTIONS}
          value={filters.severity}
          onChange={(value) => {
            setFilters({ ...filters, severity: value as AlertFilters["severity"] });
          }}
          w={180}
        />
        <Select
          label="Measurement"
          placeholder="Any measurement"
          clearable
          data={[...types.values()].map((type) => ({ value: type.code, label: type.display_name }))}
          value={filters.biomarker_type}
          onChange={(value) => {
            setFilters({ ...filters, biomarker_type: value });
          }}
          w={240}
        />
      </Group>
      <PagedList
        query={alerts}
        loadingLabel="Loading alerts…"
        empty="No alerts match these filters."
        moreLabel="Show older alerts"
      >
        {(items) => (
          <CardList label="Alerts">
            {items.map((alert) => {
              const unit = unitFor(alert.biomarker_type);
              const closed = alert.status === "resolved" || alert.status === "dismissed";
              return (
                <Card component="li" withBorder key={alert.id}>
                  <Group justify="space-between" align="flex-start" wrap="wrap">
                    <Stack gap={4}>
                      <Group gap="xs">
                        <Text fw={600}>{nameOf(alert.biomarker_type)}</Text>
                        <StatusBadge status={alert.severity} />
                        <StatusBadge status={alert.status} />
                      </Group>
                      <Text size="sm">{alert.message}</Text>
                      <Text size="sm" c="dimmed">
                        Latest {formatValue(alert.last_value, unit)} · {alert.occurrences}{" "}
                        {alert.occurrences === 1 ? "reading" : "readings"} · first{" "}
                        {formatDateTime(alert.first_seen_at, timeZone)}, last{" "}
                        {formatDateTime(alert.last_seen_at, timeZone)}
                      </Text>
                      {alert.status_note ? <Text size="sm">Note: {alert.status_note}</Text> : null}
                    </Stack>
                    {!closed ? (
                      <Group gap="xs">
                        {alert.status === "open" ? (
                          <Button
                            size="xs"
                            onClick={() => {
                              setTarget({ alert, action: "acknowledged" });
                            }}
                          >
                            Acknowledge
                          </Button>
                        ) : null}
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => {
                            setTarget({ alert, action: "dismissed" });
                          }}
                        >
                          Dismiss
                        </Button>
                      </Group>
                    ) : null}
                  </Group>
                </Card>
              );
            })}
          </CardList>
        )}
      </PagedList>
      <AlertActionDialog
        alert={target?.alert ?? null}
        action={target?.action ?? "acknowledged"}
        alertName={target ? nameOf(target.alert.biomarker_type) : ""}
        onClose={() => {
          setTarget(null);
        }}
      />
    </>
  );
}
