import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { problem, renderWithProviders, stubFetch } from "../../test/render";
import { AddReadingDialog } from "./AddReadingDialog";

const PROFILE: Parameters<typeof stubFetch>[0][number] = [
  /GET \/api\/users\/me/,
  () => ({
    status: 200,
    body: { id: "u1", timezone: "Asia/Tokyo", preferences: { units: "metric", notifications: {} } },
  }),
];

describe("AddReadingDialog", () => {
  it("sends the reading in the chosen unit with the profile's time zone offset", async () => {
    const { fetchStub, calls } = stubFetch([
      PROFILE,
      [
        /POST \/api\/biomarkers/,
        () => ({ status: 201, body: { accepted: 1, faulty: 0, duplicates: 0, alerts_created: 0 } }),
      ],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    const onClose = vi.fn();
    renderWithProviders(<AddReadingDialog opened onClose={onClose} initialType="body_weight" />);
    await userEvent.type(screen.getByLabelText(/^Value/), "70.5");
    await userEvent.click(screen.getByRole("button", { name: "Save reading" }));
    expect(await screen.findByText("Reading saved")).toBeVisible();
    const post = calls.find((call) => call.method === "POST");
    const body = (await post?.json()) as {
      readings: { type: string; value: number; unit: string; timestamp: string }[];
    };
    expect(body.readings[0]).toMatchObject({ type: "body_weight", value: 70.5, unit: "kg" });
    // the time entered is the profile's local time, sent with that zone's offset
    expect(body.readings[0]?.timestamp).toMatch(/T\d\d:\d\d:00\+09:00$/);
    expect(onClose).toHaveBeenCalled();
  });

  it("puts the server's per-reading error next to the value", async () => {
    const { fetchStub } = stubFetch([
      PROFILE,
      [
        /POST \/api\/biomarkers/,
        () => ({
          status: 422,
          body: problem(422, "invalid", [{ loc: "readings[0].value", msg: "Input should be a finite number" }]),
        }),
      ],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    renderWithProviders(<AddReadingDialog opened onClose={vi.fn()} initialType="heart_rate" />);
    await userEvent.type(screen.getByLabelText(/^Value/), "72");
    await userEvent.click(screen.getByRole("button", { name: "Save reading" }));
    expect(await screen.findByText("Input should be a finite number")).toBeVisible();
    expect(screen.getByLabelText(/^Value/)).toHaveAccessibleDescription("Input should be a finite number");
    expect(screen.queryByText("The request body or parameters are invalid.")).toBeNull();
  });
});
