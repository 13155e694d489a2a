import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { unreadLabel } from "../features/notifications/NotificationBell";
import { renderWithProviders } from "../test/render";
import { ErrorState, QueryState } from "./QueryState";
import { ApiError } from "../api/errors";
import { StatusBadge } from "./StatusBadge";

describe("StatusBadge", () => {
  it("says the status in words, not only in colour", () => {
    renderWithProviders(<StatusBadge status="critical" />);
    expect(screen.getByText("Critical")).toBeVisible();
  });

  it("words unknown statuses", () => {
    renderWithProviders(<StatusBadge status="out_of_range" />);
    expect(screen.getByText("Out of range")).toBeVisible();
  });
});

describe("QueryState", () => {
  const base = { error: null, isPending: false, refetch: () => undefined };

  it("shows loading, error, empty, then the data", () => {
    const { rerender } = renderWithProviders(
      <QueryState query={{ ...base, data: undefined, isPending: true }}>{() => "data"}</QueryState>,
    );
    expect(screen.getByRole("status")).toHaveTextContent("Loading");
    rerender(
      <QueryState query={{ ...base, data: [] as number[] }} isEmpty={(d) => d.length === 0} empty="Nothing yet">
        {() => "data"}
      </QueryState>,
    );
    expect(screen.getByText("Nothing yet")).toBeVisible();
  });

  it("shows a problem's detail with a retry button", () => {
    renderWithProviders(
      <ErrorState
        error={
          new ApiError(503, {
            type: "t",
            title: "Service Unavailable",
            status: 503,
            detail: "The database is unreachable.",
          })
        }
        onRetry={() => undefined}
      />,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("The database is unreachable.");
    expect(screen.getByRole("button", { name: "Try again" })).toBeVisible();
  });
});

describe("unreadLabel", () => {
  it("counts up to 99+", () => {
    expect(unreadLabel(0, false)).toBe("Notifications, none unread");
    expect(unreadLabel(3, false)).toBe("Notifications, 3 unread");
    expect(unreadLabel(100, true)).toBe("Notifications, 99+ unread");
  });
});
