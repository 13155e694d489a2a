import { Card, Group, Stack, Text, Timeline } from "@mantine/core";
import { useInfiniteQuery } from "@tanstack/react-query";
import { IconAlertOctagon, IconEye, IconFileExport, IconPencil } from "@tabler/icons-react";

import { api, unwrap } from "../../api/client";
import { PageHeader } from "../../components/PageHeader";
import { PagedList } from "../../components/PagedList";
import { StatusBadge } from "../../components/StatusBadge";
import { formatDateTime } from "../../lib/time";
import { usePreferences } from "../profile/api";

function useAccessLog() {
  return useInfiniteQuery({
    queryKey: ["access-log"],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/users/me/access-log", { params: { query: { cursor: pageParam, limit: 30 } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

const ACTION_WORDS: Record<string, string> = {
  PROVIDER_VIEW_PATIENT: "viewed your profile",
  PROVIDER_VIEW_HEALTH_DATA: "viewed your health data",
  PROVIDER_EMERGENCY_ACCESS: "opened your record with emergency access",
  PROVIDER_EXPORT_DATA: "exported your data",
  PROVIDER_WRITE_PRESCRIPTION: "wrote a prescription for you",
  PROVIDER_UPDATE_PRESCRIPTION: "changed one of your prescriptions",
  ACCESS_DENIED: "tried to open your data and was refused",
  APPOINTMENT_CREATED: "booked an appointment with you",
  APPOINTMENT_UPDATED: "changed an appointment's details",
  APPOINTMENT_RESCHEDULED: "moved an appointment",
  APPOINTMENT_STATUS_CHANGED: "changed an appointment's status",
  REFILL_DECIDED: "decided on a refill request",
  THRESHOLD_UPDATED: "changed your alert thresholds",
  THRESHOLD_RESET: "reset your alert thresholds",
  ALERT_UPDATED: "updated one of your alerts",
  ADMIN_CREATE_RELATIONSHIP: "recorded a care relationship for you",
  ADMIN_END_RELATIONSHIP: "ended a care relationship",
  ADMIN_UPDATE_USER: "changed your account",
};

/** Audit action names in words a patient understands. */
export function describeAction(action: string): string {
  return ACTION_WORDS[action] ?? action.toLowerCase().replace(/_/g, " ");
}

function iconFor(action: string, emergency: boolean) {
  if (emergency) return <IconAlertOctagon size={14} aria-hidden />;
  if (action.includes("EXPORT")) return <IconFileExport size={14} aria-hidden />;
  if (action.includes("VIEW")) return <IconEye size={14} aria-hidden />;
  return <IconPencil size={14} aria-hidden />;
}

export function AccessLogPage() {
  const { timeZone } = usePreferences();
  const log = useAccessLog();
  return (
    <>
      <PageHeader
        title="Who saw my data"
        description="Every time a provider or an administrator viewed, changed or exported your data."
      />
      <Card withBorder>
        <PagedList
          query={log}
          loadingLabel="Loading the access log…"
          empty="Nobody else has opened your data yet."
          moreLabel="Show earlier entries"
        >
          {(entries) => (
            <Timeline bulletSize={24} lineWidth={2}>
              {entries.map((entry, index) => (
                <Timeline.Item
                  key={`${entry.at}-${index}`}
                  bullet={iconFor(entry.action, entry.emergency)}
                  title={`${entry.actor.name} (${entry.actor.role}) ${describeAction(entry.action)}`}
                >
                  <Stack gap={2}>
                    <Text size="sm" c="dimmed">
                      {formatDateTime(entry.at, timeZone)}
                    </Text>
                    <Group gap="xs">
                      {entry.emergency ? <StatusBadge status="emergency" /> : null}
                      {entry.outcome !== "success" ? (
                        <StatusBadge status="denied" label={`Outcome: ${entry.outcome}`} />
                      ) : null}
                    </Group>
                  </Stack>
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </PagedList>
      </Card>
    </>
  );
}
