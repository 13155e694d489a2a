import {
  IconActivityHeartbeat,
  IconBell,
  IconCalendarEvent,
  IconDatabaseExport,
  IconFileImport,
  IconDeviceWatch,
  IconEye,
  IconHome,
  IconPill,
  IconSettings,
  IconStethoscope,
  IconTarget,
  IconUrgent,
} from "@tabler/icons-react";

import { AppLayout, type NavItem } from "../../app/AppLayout";

const NAV: NavItem[] = [
  { to: "/", label: "Dashboard", icon: IconHome, end: true },
  { to: "/vitals", label: "Vitals", icon: IconActivityHeartbeat },
  { to: "/alerts", label: "Alerts", icon: IconUrgent },
  { to: "/goals", label: "Goals", icon: IconTarget },
  { to: "/appointments", label: "Appointments", icon: IconCalendarEvent },
  { to: "/prescriptions", label: "Prescriptions", icon: IconPill },
  { to: "/devices", label: "Devices", icon: IconDeviceWatch },
  { to: "/care-team", label: "Care team", icon: IconStethoscope },
  { to: "/notifications", label: "Notifications", icon: IconBell },
  { to: "/access-log", label: "Who saw my data", icon: IconEye },
  { to: "/import", label: "Import data", icon: IconFileImport },
  { to: "/my-data", label: "My data", icon: IconDatabaseExport },
  { to: "/profile", label: "Profile and settings", icon: IconSettings },
];

export function PatientLayout() {
  return <AppLayout nav={NAV} home="/" notificationsPath="/notifications" profilePath="/profile" />;
}
