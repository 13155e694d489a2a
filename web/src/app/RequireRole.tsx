import { Navigate, Outlet, useLocation } from "react-router";

import { LoadingState } from "../components/QueryState";
import { homeFor, useSession } from "../features/auth/session";

/** Pages of one role (every role without `area`): others are sent to their own area,
 * signed-out visitors to sign-in and back. */
export function RequireRole({ area }: { area?: string }) {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === "loading") return <LoadingState label="Opening Healix…" />;
  if (state.status === "signed-out") {
    const next = location.pathname + location.search;
    const params = new URLSearchParams({ next });
    if (state.reason === "expired") params.set("expired", "1");
    return <Navigate to={`/sign-in?${params.toString()}`} replace />;
  }
  if (area && state.user.role !== area) return <Navigate to={homeFor(state.user.role)} replace />;
  return <Outlet />;
}

/** Public pages (sign-in, sign-up...): a signed-in user goes to their area. */
export function PublicOnly() {
  const { state } = useSession();
  if (state.status === "loading") return <LoadingState label="Opening Healix…" />;
  if (state.status === "signed-in") return <Navigate to={homeFor(state.user.role)} replace />;
  return <Outlet />;
}

/** Where each role keeps its notification settings (emails link to /settings/notifications). */
const NOTIFICATION_SETTINGS: Record<string, string> = {
  patient: "/profile#notification-settings",
  provider: "/provider/profile#notification-settings",
};

export function NotificationSettingsRedirect() {
  const { state } = useSession();
  if (state.status === "loading") return <LoadingState label="Opening Healix…" />;
  if (state.status === "signed-out") {
    return <Navigate to={`/sign-in?${new URLSearchParams({ next: "/settings/notifications" }).toString()}`} replace />;
  }
  return <Navigate to={NOTIFICATION_SETTINGS[state.user.role] ?? homeFor(state.user.role)} replace />;
}
