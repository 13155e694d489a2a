import { IconBell, IconCalendarEvent, IconPill, IconSettings, IconUrgent, IconUsers } from "@tabler/icons-react";

import { AppLayout, type NavItem } from "../../app/AppLayout";

const NAV: NavItem[] = [
  { to: "/provider", label: "My patients", icon: IconUsers, end: true },
  { to: "/provider/schedule", label: "Schedule", icon: IconCalendarEvent },
  { to: "/provider/refills", label: "Refill queue", icon: IconPill },
  { to: "/provider/emergency-access", label: "Emergency access", icon: IconUrgent },
  { to: "/provider/notifications", label: "Notifications", icon: IconBell },
  { to: "/provider/profile", label: "Profile and settings", icon: IconSettings },
];

export function ProviderLayout() {
  return (
    <AppLayout nav={NAV} home="/provider" notificationsPath="/provider/notifications" profilePath="/provider/profile" />
  );
}
