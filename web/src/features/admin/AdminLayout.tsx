import {
  IconBell,
  IconCalendarEvent,
  IconGauge,
  IconHeartHandshake,
  IconListCheck,
  IconPill,
  IconShieldCheck,
  IconUserCircle,
  IconUsers,
} from "@tabler/icons-react";

import { AppLayout, type NavItem } from "../../app/AppLayout";

const NAV: NavItem[] = [
  { to: "/admin", label: "Overview", icon: IconGauge, end: true },
  { to: "/admin/users", label: "Users", icon: IconUsers },
  { to: "/admin/relationships", label: "Care relationships", icon: IconHeartHandshake },
  { to: "/admin/audit", label: "Audit log", icon: IconShieldCheck },
  { to: "/admin/appointments", label: "Appointments", icon: IconCalendarEvent },
  { to: "/admin/prescriptions", label: "Prescriptions", icon: IconPill },
  { to: "/admin/jobs", label: "Background jobs", icon: IconListCheck },
  { to: "/admin/notifications", label: "Notifications", icon: IconBell },
  { to: "/admin/account", label: "My account", icon: IconUserCircle },
];

export function AdminLayout() {
  return <AppLayout nav={NAV} home="/admin" notificationsPath="/admin/notifications" profilePath="/admin/account" />;
}
