/** The admin console's logic that lives in the browser: filters to API queries, the typed
 * erasure confirmation, the stats as chart rows, and names. */
import { addDays, startOfDayIso } from "../../lib/time";

export type Role = "patient" | "provider" | "admin";
export type UserStatus = "active" | "inactive" | "erased";
export type Outcome = "success" | "failure" | "denied";

export const ROLE_LABELS: Record<Role, string> = { patient: "Patient", provider: "Provider", admin: "Administrator" };
export const STATUS_LABELS: Record<UserStatus, string> = { active: "Active", inactive: "Inactive", erased: "Erased" };

export interface UserFilters {
  q: string;
  role: Role | null;
  status: UserStatus | null;
}

export interface AuditFilters {
  userId: string;
  action: string;
  resourceType: string;
  outcome: Outcome | null;
  /** calendar dates (YYYY-MM-DD) in the admin's zone, both inclusive; "" = open */
  fromDate: string;
  toDate: string;
}

export const NO_AUDIT_FILTERS: AuditFilters = {
  userId: "",
  action: "",
  resourceType: "",
  outcome: null,
  fromDate: "",
  toDate: "",
};

export interface AppointmentFilters {
  status: string | null;
  fromDate: string;
  toDate: string;
}

export interface PrescriptionFilters {
  status: "active" | "completed" | "cancelled" | "expired" | null;
  providerId: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value.trim());
}

/** A period of whole local days, [from, to + 1 day), as the API's `from`/`to` (ISO with offset). */
export function periodQuery(fromDate: string, toDate: string, timeZone: string): { from?: string; to?: string } {
  const period: { from?: string; to?: string } = {};
  if (fromDate) period.from = startOfDayIso(fromDate, timeZone);
  if (toDate) period.to = startOfDayIso(addDays(toDate, 1), timeZone);
  return period;
}

/** The audit log's query from the filter form; a user id that is not a UUID is left out
 * (the form shows why) rather than answered with a 422. */
export function auditQuery(filters: AuditFilters, timeZone: string) {
  const userId = filters.userId.trim();
  return {
    user_id: isUuid(userId) ? userId : null,
    action: filters.action.trim().toUpperCase() || null,
    resource_type: filters.resourceType.trim() || null,
    outcome: filters.outcome,
    ...periodQuery(filters.fromDate, filters.toDate, timeZone),
  };
}

export function appointmentQuery(filters: AppointmentFilters, timeZone: string) {
  return {
    status: (filters.status ?? null) as "scheduled" | null,
    order: "desc" as const,
    ...periodQuery(filters.fromDate, filters.toDate, timeZone),
  };
}

/** The period's end must not come before its start. */
export function periodError(fromDate: string, toDate: string): string | null {
  return fromDate && toDate && toDate < fromDate ? "The end date is before the start date." : null;
}

export function fullName(person: { first_name: string; last_name: string } | null | undefined): string {
  return person ? `${person.first_name} ${person.last_name}`.trim() : "Unknown";
}

/** Erasure asks the admin to type the person's full name: spacing and case do not matter. */
export function erasureConfirmed(typed: string, person: { first_name: string; last_name: string }): boolean {
  const normalise = (value: string) => value.trim().replace(/\s+/g, " ").toLocaleLowerCase();
  const expected = normalise(fullName(person));
  return expected !== "" && normalise(typed) === expected;
}

export interface ChartRow {
  label: string;
  value: number;
}

/** The users' role × status counts as rows "Patients · active" …, zero rows left out. */
export function userRows(users: Record<string, Record<string, number>>): ChartRow[] {
  const rows: ChartRow[] = [];
  for (const role of Object.keys(ROLE_LABELS) as Role[]) {
    for (const status of Object.keys(STATUS_LABELS) as UserStatus[]) {
      const value = users[role]?.[status] ?? 0;
      if (value > 0) rows.push({ label: `${ROLE_LABELS[role]} · ${STATUS_LABELS[status].toLowerCase()}`, value });
    }
  }
  return rows;
}

export function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, value) => sum + value, 0);
}

/** Counts per key as rows in a fixed order (labels humanised), zeros kept: a chart of a
 * week's statuses should show that nobody missed an appointment. */
export function countRows(counts: Record<string, number>, order: string[]): ChartRow[] {
  const keys = [...order, ...Object.keys(counts).filter((key) => !order.includes(key))];
  return keys.map((key) => ({ label: humanize(key), value: counts[key] ?? 0 }));
}

export function humanize(value: string): string {
  const words = value.replace(/_/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Why an admin cannot do something to this account, before asking the server (which
 * decides anyway: the last-admin rule needs the roster). */
export function selfProtection(target: { id: string }, me: { id: string } | null): string | null {
  return me && target.id === me.id ? "This is your own account: another administrator must change it." : null;
}
