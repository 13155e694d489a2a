/** The provider workspace's front-end rules: ages, time left, calendar days, sorting. */
import { addDays, dayjs } from "../../lib/time";
import type { PatientOverview } from "./api";

type PatientListing = Pick<PatientOverview, "id" | "first_name" | "last_name" | "date_of_birth">;

/** Whole years between a date of birth (YYYY-MM-DD) and `today` (YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by = 0, bm = 0, bd = 0] = dateOfBirth.split("-").map(Number);
  const [ty = 0, tm = 0, td = 0] = today.split("-").map(Number);
  const hadBirthday = tm > bm || (tm === bm && td >= bd);
  return ty - by - (hadBirthday ? 0 : 1);
}

/** "42 min left", "1 h 5 min left", or "expired". */
export function timeLeft(until: string, now: number): string {
  const minutes = Math.ceil((Date.parse(until) - now) / 60_000);
  if (minutes <= 0) return "expired";
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours ? `${hours} h ${rest} min left` : `${minutes} min left`;
}

/** The Monday (YYYY-MM-DD) of the week containing `date`. */
export function mondayOf(date: string): string {
  const weekday = (dayjs(date).day() + 6) % 7;
  return addDays(date, -weekday);
}

/** The days a calendar view shows: one day, or Monday to Sunday of its week. */
export function calendarDays(view: "day" | "week", date: string): string[] {
  if (view === "day") return [date];
  const monday = mondayOf(date);
  return Array.from({ length: 7 }, (_, index) => addDays(monday, index));
}

/** Items grouped by their local start day in the zone, for every day shown (empty days too). */
export function byLocalDay<T extends { start_time: string }>(
  items: T[],
  days: string[],
  timeZone: string,
): Map<string, T[]> {
  const grouped = new Map<string, T[]>(days.map((day) => [day, []]));
  for (const item of items) {
    const day = dayjs(item.start_time).tz(timeZone).format("YYYY-MM-DD");
    grouped.get(day)?.push(item);
  }
  return grouped;
}

export type PatientSort = "last_name" | "first_name" | "age" | "attention" | "next_appointment";

type Sortable = PatientListing & Partial<Pick<PatientOverview, "status" | "open_alerts" | "next_appointment">>;

/** How urgent a patient is: critical open alerts first, then warnings. */
function urgency(patient: Sortable): number {
  const alerts = patient.open_alerts;
  return alerts ? (alerts.critical ?? 0) * 1000 + (alerts.warning ?? 0) : 0;
}

/** A sorted copy of the patients list (sorting is client-side; the API pages by name). */
export function sortPatients<T extends Sortable>(patients: T[], sort: PatientSort, today: string): T[] {
  const copy = [...patients];
  const byName = (a: PatientListing, b: PatientListing) =>
    sort === "first_name"
      ? a.first_name.localeCompare(b.first_name) || a.last_name.localeCompare(b.last_name)
      : a.last_name.localeCompare(b.last_name) || a.first_name.localeCompare(b.first_name);
  if (sort === "attention") return copy.sort((a, b) => urgency(b) - urgency(a) || byName(a, b));
  if (sort === "next_appointment") {
    const next = (patient: T) => patient.next_appointment?.start_time ?? "\uffff";
    return copy.sort((a, b) => next(a).localeCompare(next(b)) || byName(a, b));
  }
  if (sort !== "age") return copy.sort(byName);
  const age = (patient: T) => (patient.date_of_birth ? ageOn(patient.date_of_birth, today) : Number.POSITIVE_INFINITY);
  return copy.sort((a, b) => age(a) - age(b) || byName(a, b));
}

export function patientName(patient: { first_name: string; last_name: string } | null | undefined): string {
  return patient ? `${patient.first_name} ${patient.last_name}` : "A patient";
}
