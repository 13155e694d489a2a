/**
 * The route table, one block per role. Every page is lazy-loaded, so the sign-in page does not
 * download the patient portal. The provider workspace and the admin console add their blocks
 * (`/provider/*`, `/admin/*`) next to the patient's.
 */
import type { RouteObject } from "react-router";

import { NotificationSettingsRedirect, PublicOnly, RequireRole } from "./app/RequireRole";
import { LoadingState } from "./components/QueryState";
import { NotFoundPage } from "./app/NotFoundPage";

type PageModule = Record<string, unknown>;

/** A lazy route whose module exports the page component under `name`. */
function page(load: () => Promise<PageModule>, name: string): Pick<RouteObject, "lazy"> {
  return {
    lazy: async () => {
      const module = await load();
      return { Component: module[name] as React.ComponentType };
    },
  };
}

const publicRoutes: RouteObject[] = [
  { path: "sign-in", ...page(() => import("./features/auth/SignInPage"), "SignInPage") },
  { path: "sign-up", ...page(() => import("./features/auth/SignUpPage"), "SignUpPage") },
  { path: "forgot-password", ...page(() => import("./features/auth/ForgotPasswordPage"), "ForgotPasswordPage") },
];

/** Reached from emails; they work signed in or out. */
const tokenRoutes: RouteObject[] = [
  { path: "reset-password", ...page(() => import("./features/auth/SetPasswordPage"), "ResetPasswordPage") },
  { path: "set-password", ...page(() => import("./features/auth/SetPasswordPage"), "InvitationPasswordPage") },
  { path: "verify-email", ...page(() => import("./features/auth/VerifyEmailPage"), "VerifyEmailPage") },
  { path: "unlock", ...page(() => import("./features/auth/UnlockPage"), "UnlockPage") },
];

const patientRoutes: RouteObject[] = [
  { index: true, ...page(() => import("./features/dashboard/DashboardPage"), "DashboardPage") },
  { path: "vitals", ...page(() => import("./features/biomarkers/VitalsIndexPage"), "VitalsIndexPage") },
  { path: "vitals/:type", ...page(() => import("./features/biomarkers/VitalsPage"), "VitalsPage") },
  { path: "alerts", ...page(() => import("./features/alerts/AlertsPage"), "AlertsPage") },
  { path: "goals", ...page(() => import("./features/goals/GoalsPage"), "GoalsPage") },
  { path: "appointments", ...page(() => import("./features/appointments/AppointmentsPage"), "AppointmentsPage") },
  {
    path: "appointments/book",
    ...page(() => import("./features/appointments/BookAppointmentPage"), "BookAppointmentPage"),
  },
  { path: "prescriptions", ...page(() => import("./features/prescriptions/PrescriptionsPage"), "PrescriptionsPage") },
  { path: "devices", ...page(() => import("./features/devices/DevicesPage"), "DevicesPage") },
  { path: "care-team", ...page(() => import("./features/care/CareTeamPage"), "CareTeamPage") },
  { path: "notifications", ...page(() => import("./features/notifications/NotificationsPage"), "NotificationsPage") },
  { path: "access-log", ...page(() => import("./features/access-log/AccessLogPage"), "AccessLogPage") },
  { path: "import", ...page(() => import("./features/imports/ImportPage"), "ImportPage") },
  { path: "my-data", ...page(() => import("./features/exports/MyDataPage"), "MyDataPage") },
  { path: "profile", ...page(() => import("./features/profile/ProfilePage"), "ProfilePage") },
];

const adminRoutes: RouteObject[] = [
  { index: true, ...page(() => import("./features/admin/OverviewPage"), "OverviewPage") },
  { path: "users", ...page(() => import("./features/admin/UsersPage"), "UsersPage") },
  { path: "users/:userId", ...page(() => import("./features/admin/UserDetailPage"), "UserDetailPage") },
  { path: "relationships", ...page(() => import("./features/admin/RelationshipsPage"), "RelationshipsPage") },
  { path: "audit", ...page(() => import("./features/admin/AuditLogPage"), "AuditLogPage") },
  {
    path: "appointments",
    ...page(() => import("./features/admin/ClinicAppointmentsPage"), "ClinicAppointmentsPage"),
  },
  {
    path: "prescriptions",
    ...page(() => import("./features/admin/ClinicPrescriptionsPage"), "ClinicPrescriptionsPage"),
  },
  { path: "jobs", ...page(() => import("./features/admin/JobsPage"), "JobsPage") },
  { path: "notifications", ...page(() => import("./features/notifications/NotificationsPage"), "NotificationsPage") },
  { path: "account", ...page(() => import("./features/admin/AccountPage"), "AccountPage") },
  { path: "*", element: <NotFoundPage /> },
];

const providerRoutes: RouteObject[] = [
  { index: true, ...page(() => import("./features/provider/PatientsPage"), "PatientsPage") },
  {
    path: "patients/:patientId",
    ...page(() => import("./features/provider/PatientChartPage"), "PatientChartPage"),
  },
  { path: "schedule", ...page(() => import("./features/provider/SchedulePage"), "SchedulePage") },
  { path: "refills", ...page(() => import("./features/provider/RefillQueuePage"), "RefillQueuePage") },
  {
    path: "emergency-access",
    ...page(() => import("./features/provider/EmergencyAccessPage"), "EmergencyAccessPage"),
  },
  { path: "notifications", ...page(() => import("./features/notifications/NotificationsPage"), "NotificationsPage") },
  { path: "profile", ...page(() => import("./features/profile/ProfilePage"), "ProfilePage") },
  { path: "*", element: <NotFoundPage /> },
];

export const routes: RouteObject[] = [
  {
    path: "/",
    HydrateFallback: () => <LoadingState label="Opening Healix…" />,
    children: [
      { element: <PublicOnly />, children: publicRoutes },
      ...tokenRoutes,
      {
        element: <RequireRole area="patient" />,
        children: [
          { ...page(() => import("./features/patient/PatientLayout"), "PatientLayout"), children: patientRoutes },
        ],
      },
      // linked from every email (APP_BASE_URL/settings/notifications): each role's settings page
      { path: "settings/notifications", element: <NotificationSettingsRedirect /> },
      // every role's sign-in security (two-factor sign-in); linked from the MFA reset email
      {
        element: <RequireRole />,
        children: [
          { path: "settings/security", ...page(() => import("./features/security/SecurityPage"), "SecurityPage") },
        ],
      },
      {
        path: "provider",
        element: <RequireRole area="provider" />,
        children: [
          { ...page(() => import("./features/provider/ProviderLayout"), "ProviderLayout"), children: providerRoutes },
        ],
      },
      {
        path: "admin",
        element: <RequireRole area="admin" />,
        children: [{ ...page(() => import("./features/admin/AdminLayout"), "AdminLayout"), children: adminRoutes }],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
