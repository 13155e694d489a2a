import { Badge, type MantineColor } from "@mantine/core";
import {
  IconAlertOctagon,
  IconAlertTriangle,
  IconCircleCheck,
  IconCircleDashed,
  IconClock,
  IconInfoCircle,
  IconX,
} from "@tabler/icons-react";
import type { ReactNode } from "react";

interface Look {
  color: MantineColor;
  icon: ReactNode;
  label?: string;
}

const ICON = { size: 14, "aria-hidden": true } as const;

const LOOKS: Record<string, Look> = {
  normal: { color: "teal", icon: <IconCircleCheck {...ICON} />, label: "Normal" },
  warning: { color: "yellow", icon: <IconAlertTriangle {...ICON} />, label: "Warning" },
  critical: { color: "red", icon: <IconAlertOctagon {...ICON} />, label: "Critical" },
  faulty: { color: "gray", icon: <IconX {...ICON} />, label: "Faulty" },
  ok: { color: "teal", icon: <IconCircleCheck {...ICON} />, label: "OK" },
  open: { color: "red", icon: <IconAlertTriangle {...ICON} />, label: "Open" },
  acknowledged: { color: "blue", icon: <IconInfoCircle {...ICON} />, label: "Acknowledged" },
  dismissed: { color: "gray", icon: <IconX {...ICON} />, label: "Dismissed" },
  resolved: { color: "teal", icon: <IconCircleCheck {...ICON} />, label: "Resolved" },
  requested: { color: "yellow", icon: <IconClock {...ICON} />, label: "Pending approval" },
  scheduled: { color: "blue", icon: <IconClock {...ICON} />, label: "Scheduled" },
  rescheduled: { color: "blue", icon: <IconClock {...ICON} />, label: "Rescheduled" },
  completed: { color: "teal", icon: <IconCircleCheck {...ICON} />, label: "Completed" },
  cancelled: { color: "gray", icon: <IconX {...ICON} />, label: "Cancelled" },
  no_show: { color: "orange", icon: <IconAlertTriangle {...ICON} />, label: "No-show" },
  active: { color: "teal", icon: <IconCircleCheck {...ICON} />, label: "Active" },
  inactive: { color: "gray", icon: <IconCircleDashed {...ICON} />, label: "Inactive" },
  paused: { color: "gray", icon: <IconCircleDashed {...ICON} />, label: "Paused" },
  abandoned: { color: "gray", icon: <IconX {...ICON} />, label: "Ended" },
  expired: { color: "gray", icon: <IconClock {...ICON} />, label: "Expired" },
  pending: { color: "blue", icon: <IconClock {...ICON} />, label: "Pending" },
  approved: { color: "teal", icon: <IconCircleCheck {...ICON} />, label: "Approved" },
  denied: { color: "red", icon: <IconX {...ICON} />, label: "Denied" },
  error: { color: "red", icon: <IconAlertTriangle {...ICON} />, label: "Error" },
  unread: { color: "blue", icon: <IconInfoCircle {...ICON} />, label: "Unread" },
  read: { color: "gray", icon: <IconCircleCheck {...ICON} />, label: "Read" },
  care: { color: "teal", icon: <IconCircleCheck {...ICON} />, label: "Care consent" },
  emergency: { color: "red", icon: <IconAlertOctagon {...ICON} />, label: "Emergency access" },
};

function humanize(value: string): string {
  const words = value.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A status as text with an icon and a colour — never colour alone. */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const look: Look = LOOKS[status] ?? { color: "gray", icon: <IconInfoCircle {...ICON} /> };
  return (
    <Badge
      color={look.color}
      variant="light"
      c="var(--mantine-color-text)"
      leftSection={
        <span style={{ display: "flex", color: `var(--mantine-color-${look.color}-filled)` }}>{look.icon}</span>
      }
      styles={{ root: { flexShrink: 0 }, label: { textTransform: "none", overflow: "visible" } }}
    >
      {label ?? look.label ?? humanize(status)}
    </Badge>
  );
}
