import { describe, expect, it } from "vitest";

import { ageOn, byLocalDay, calendarDays, mondayOf, sortPatients, timeLeft } from "./logic";

describe("ageOn", () => {
  it("counts whole years, the birthday itself included", () => {
    expect(ageOn("1980-06-15", "2026-06-14")).toBe(45);
    expect(ageOn("1980-06-15", "2026-06-15")).toBe(46);
    expect(ageOn("2000-02-29", "2026-02-28")).toBe(25);
  });
});

describe("timeLeft", () => {
  const now = Date.parse("2026-12-01T12:00:00Z");
  it("says minutes, hours and expired", () => {
    expect(timeLeft("2026-12-01T12:42:00Z", now)).toBe("42 min left");
    expect(timeLeft("2026-12-01T13:05:00Z", now)).toBe("1 h 5 min left");
    expect(timeLeft("2026-12-01T11:59:00Z", now)).toBe("expired");
  });
});

describe("calendar days", () => {
  it("starts a week on Monday", () => {
    expect(mondayOf("2026-12-03")).toBe("2026-11-30");
    expect(mondayOf("2026-11-30")).toBe("2026-11-30");
    expect(mondayOf("2026-12-06")).toBe("2026-11-30");
    expect(calendarDays("week", "2026-12-03")).toEqual([
      "2026-11-30",
      "2026-12-01",
      "2026-12-02",
      "2026-12-03",
      "2026-12-04",
      "2026-12-05",
      "2026-12-06",
    ]);
    expect(calendarDays("day", "2026-12-03")).toEqual(["2026-12-03"]);
  });

  it("groups by the local day of the provider's zone", () => {
    const late = { start_time: "2026-12-01T23:30:00Z" };
    const grouped = byLocalDay([late], ["2026-12-01", "2026-12-02"], "Europe/Berlin");
    expect(grouped.get("2026-12-01")).toEqual([]);
    expect(grouped.get("2026-12-02")).toEqual([late]);
  });
});

describe("sortPatients", () => {
  const patients = [
    { id: "1", first_name: "Bob", last_name: "Smith", date_of_birth: "1970-01-01" },
    { id: "2", first_name: "Alice", last_name: "Young", date_of_birth: "1990-01-01" },
    { id: "3", first_name: "Carol", last_name: "Adams", date_of_birth: null },
  ];
  it("sorts by last name, first name or age (unknown ages last)", () => {
    const ids = (sort: "last_name" | "first_name" | "age") =>
      sortPatients(patients, sort, "2026-12-01").map((patient) => patient.id);
    expect(ids("last_name")).toEqual(["3", "1", "2"]);
    expect(ids("first_name")).toEqual(["2", "1", "3"]);
    expect(ids("age")).toEqual(["2", "1", "3"]);
  });
});

describe("sortPatients by attention and next appointment", () => {
  const base = { date_of_birth: null, status: "stable" as const, next_appointment: null };
  const patients = [
    { ...base, id: "a", first_name: "A", last_name: "A", open_alerts: { warning: 0, critical: 0 } },
    { ...base, id: "b", first_name: "B", last_name: "B", open_alerts: { warning: 3, critical: 0 } },
    {
      ...base,
      id: "c",
      first_name: "C",
      last_name: "C",
      open_alerts: { warning: 0, critical: 1 },
      next_appointment: { appointment_id: "x", start_time: "2026-12-02T10:00:00Z", end_time: "2026-12-02T10:30:00Z" },
    },
  ];
  it("puts critical alerts before warnings, and soonest appointments first (none last)", () => {
    expect(sortPatients(patients, "attention", "2026-12-01").map((p) => p.id)).toEqual(["c", "b", "a"]);
    expect(sortPatients(patients, "next_appointment", "2026-12-01").map((p) => p.id)).toEqual(["c", "a", "b"]);
  });
});
