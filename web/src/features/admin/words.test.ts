import { describe, expect, it } from "vitest";

import {
  auditQuery,
  countRows,
  erasureConfirmed,
  NO_AUDIT_FILTERS,
  periodError,
  periodQuery,
  selfProtection,
  userRows,
} from "./words";

describe("periodQuery", () => {
  it("covers whole local days, the end day included", () => {
    expect(periodQuery("2026-03-28", "2026-03-29", "Europe/London")).toEqual({
      from: "2026-03-28T00:00:00Z",
      // the clocks go forward on 29 March: the next midnight is in summer time
      to: "2026-03-30T00:00:00+01:00",
    });
  });

  it("leaves open ends out", () => {
    expect(periodQuery("", "", "UTC")).toEqual({});
    expect(periodQuery("2026-01-05", "", "America/New_York")).toEqual({ from: "2026-01-05T00:00:00-05:00" });
  });

  it("refuses an end before the start", () => {
    expect(periodError("2026-01-05", "2026-01-04")).toMatch(/before/);
    expect(periodError("2026-01-05", "2026-01-05")).toBeNull();
  });
});

describe("auditQuery", () => {
  it("maps the form to the API's filters", () => {
    const query = auditQuery(
      {
        ...NO_AUDIT_FILTERS,
        userId: " 0195f1c2-7b00-7000-8000-00000000b001 ",
        action: "admin_update_user",
        outcome: "denied",
      },
      "UTC",
    );
    expect(query).toEqual({
      user_id: "0195f1c2-7b00-7000-8000-00000000b001",
      action: "ADMIN_UPDATE_USER",
      resource_type: null,
      outcome: "denied",
    });
  });

  it("leaves out a user id that is not one", () => {
    expect(auditQuery({ ...NO_AUDIT_FILTERS, userId: "alice" }, "UTC").user_id).toBeNull();
  });
});

describe("erasureConfirmed", () => {
  const person = { first_name: "Alice", last_name: "Morgan" };
  it("needs the full name, whatever the case and spacing", () => {
    expect(erasureConfirmed("alice   MORGAN ", person)).toBe(true);
    expect(erasureConfirmed("Alice", person)).toBe(false);
    expect(erasureConfirmed("", person)).toBe(false);
  });
});

describe("stats as rows", () => {
  it("lists role and status pairs that have users", () => {
    const rows = userRows({
      patient: { active: 3, inactive: 1, erased: 0 },
      provider: { active: 2, inactive: 0, erased: 0 },
      admin: { active: 1, inactive: 0, erased: 0 },
    });
    expect(rows).toEqual([
      { label: "Patient · active", value: 3 },
      { label: "Patient · inactive", value: 1 },
      { label: "Provider · active", value: 2 },
      { label: "Administrator · active", value: 1 },
    ]);
  });

  it("keeps zero counts in a fixed order", () => {
    expect(countRows({ critical: 2, warning: 0 }, ["critical", "warning", "info"])).toEqual([
      { label: "Critical", value: 2 },
      { label: "Warning", value: 0 },
      { label: "Info", value: 0 },
    ]);
  });
});

describe("selfProtection", () => {
  it("names one's own account", () => {
    expect(selfProtection({ id: "a" }, { id: "a" })).toMatch(/your own account/);
    expect(selfProtection({ id: "a" }, { id: "b" })).toBeNull();
  });
});
