import { ActionIcon, Indicator, Tooltip } from "@mantine/core";
import { IconBell } from "@tabler/icons-react";
import { Link } from "react-router";

import { UNREAD_LIMIT, useUnreadNotifications } from "./api";

export function unreadLabel(count: number, more: boolean): string {
  if (count === 0) return "Notifications, none unread";
  const shown = more || count >= UNREAD_LIMIT ? `${UNREAD_LIMIT - 1}+` : String(count);
  return `Notifications, ${shown} unread`;
}

/** The bell in the header, with the unread count as text for screen readers. */
export function NotificationBell({ to }: { to: string }) {
  const { data } = useUnreadNotifications();
  const count = data?.items.length ?? 0;
  const more = Boolean(data?.next_cursor);
  const label = unreadLabel(count, more);
  const badge = more || count >= UNREAD_LIMIT ? `${UNREAD_LIMIT - 1}+` : String(count);
  return (
    <Tooltip label={label}>
      <Indicator label={badge} size={18} disabled={count === 0} color="red" offset={4}>
        <ActionIcon component={Link} to={to} variant="subtle" size="lg" aria-label={label}>
          <IconBell aria-hidden />
        </ActionIcon>
      </Indicator>
    </Tooltip>
  );
}
