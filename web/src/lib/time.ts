/** Times are shown in the user's profile time zone, whatever the browser's zone is. */
import dayjs from "dayjs";
import timezone from "dayjs/plugin/timezone";
import utc from "dayjs/plugin/utc";

dayjs.extend(utc);
dayjs.extend(timezone);

export { dayjs };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = timeZone + JSON.stringify(options);
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(undefined, { timeZone, ...options });
    formatters.set(key, found);
  }
  return found;
}

export function formatDateTime(iso: string, timeZone: string): string {
  return formatter(timeZone, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

export function formatDate(iso: string, timeZone: string): string {
  return formatter(timeZone, { dateStyle: "medium" }).format(new Date(iso));
}

export function formatWeekdayDate(iso: string, timeZone: string): string {
  return formatter(timeZone, { weekday: "short", day: "numeric", month: "short" }).format(new Date(iso));
}

export function formatTime(iso: string, timeZone: string): string {
  return formatter(timeZone, { timeStyle: "short" }).format(new Date(iso));
}

/** A calendar date (YYYY-MM-DD, no time zone) as words. */
export function formatCalendarDate(date: string): string {
  return formatter("UTC", { dateStyle: "medium" }).format(new Date(`${date}T00:00:00Z`));
}

/** Today's date (YYYY-MM-DD) in the zone. */
export function todayIn(timeZone: string): string {
  return dayjs().tz(timeZone).format("YYYY-MM-DD");
}

/** Local midnight of a date in the zone, as ISO 8601 with its offset (what the API expects). */
export function startOfDayIso(date: string, timeZone: string): string {
  return dayjs.tz(`${date}T00:00:00`, timeZone).format();
}

/** A local date and time (from a date and a time input) in the zone, as ISO 8601 with offset. */
export function localDateTimeIso(date: string, time: string, timeZone: string): string {
  return dayjs.tz(`${date}T${time}:00`, timeZone).format();
}

export function addDays(date: string, days: number): string {
  return dayjs(date).add(days, "day").format("YYYY-MM-DD");
}

/** Now as ISO 8601 with the zone's offset. */
export function nowIso(timeZone: string): string {
  return dayjs().tz(timeZone).format();
}
