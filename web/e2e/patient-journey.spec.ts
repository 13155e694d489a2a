import { readFileSync } from "node:fs";

import {
  apiLogin,
  chooseSegment,
  consentTo,
  expect,
  NEW_PASSWORD,
  openFromNav,
  settled,
  signUp,
  test,
  uniqueEmail,
} from "./fixtures";

/** The next Monday-to-Friday date after today (UTC), as YYYY-MM-DD. */
function nextWeekday(): string {
  const day = new Date();
  do day.setUTCDate(day.getUTCDate() + 1);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  return day.toISOString().slice(0, 10);
}

test("a new patient's main journey, from sign-up to sign-out", async ({ page, request, context }) => {
  const email = uniqueEmail("journey");
  await signUp(page, "Pat", email);

  // add a reading and see it in the history and the chart's table
  await openFromNav(page, "Vitals");
  await page.getByRole("link", { name: /Heart rate/ }).click();
  await settled(page);
  await page.getByRole("button", { name: "Add a reading" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a reading" });
  await dialog.getByLabel(/^Value/).fill("72");
  await dialog.getByRole("button", { name: "Save reading" }).click();
  await expect(page.getByText("Reading saved")).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByRole("table", { name: /Readings, newest first/ }).getByRole("cell", { name: "72 bpm" }),
  ).toBeVisible();
  await expect(page.getByRole("img", { name: /Chart of Heart rate/ })).toBeVisible();
  await chooseSegment(page, "Table");
  const chartTable = page.getByRole("table", { name: /The chart's data/ });
  await expect(chartTable.getByRole("row")).toHaveCount(2);
  await expect(chartTable.getByRole("cell", { name: "72 bpm" }).first()).toBeVisible();

  // book a free slot with Dr Grey, then cancel it
  await openFromNav(page, "Appointments");
  await page.getByRole("link", { name: "Book an appointment" }).click();
  await settled(page);
  await page.getByLabel("Search by name or specialty").fill("Grey");
  await page.getByRole("radio", { name: /Dr Meredith Grey/ }).check();
  await page.getByLabel("Day").fill(nextWeekday());
  const slots = page.getByRole("radiogroup", { name: /Free times/ });
  await slots.locator("label").first().click();
  await page.getByLabel(/What is the visit about/).fill("Check-up after a new reading");
  await page.getByRole("button", { name: "Book this time" }).click();
  await expect(page.getByRole("heading", { name: "Appointments", level: 1 })).toBeVisible();
  const upcoming = page.getByRole("region", { name: "Upcoming" });
  const booked = upcoming.getByRole("listitem").filter({ hasText: "Check-up after a new reading" });
  await expect(booked.getByText("Scheduled")).toBeVisible();
  await booked.getByRole("button", { name: "Cancel" }).click();
  const cancel = page.getByRole("dialog", { name: "Cancel the appointment" });
  await cancel.getByLabel(/^Reason/).fill("Feeling better");
  await cancel.getByRole("button", { name: "Cancel appointment" }).click();
  await expect(booked.getByText("Cancelled", { exact: true })).toBeVisible();
  await expect(booked.getByText("Cancelled: Feeling better")).toBeVisible();

  // consent to Dr Grey, who then writes a prescription (through the API, as a provider would)
  await consentTo(page, "Grey", /Dr Meredith Grey/);
  await expect(
    page.getByRole("listitem").filter({ hasText: "Dr Meredith Grey" }).getByText("Care consent"),
  ).toBeVisible();

  const patientToken = await apiLogin(request, email, NEW_PASSWORD);
  const me = await request.get("/api/auth/me", { headers: { Authorization: `Bearer ${patientToken}` } });
  const patientId = ((await me.json()) as { id: string }).id;
  const grey = await apiLogin(request, "dr.grey@healix-demo.com");
  const written = await request.post("/api/prescriptions", {
    headers: { Authorization: `Bearer ${grey}` },
    data: {
      patient_id: patientId,
      medication_name: "Amoxicillin",
      dosage: "500 mg three times daily",
      quantity: 21,
      refills_allowed: 1,
      start_date: new Date().toISOString().slice(0, 10),
    },
  });
  expect(written.status()).toBe(201);

  // request a refill and see it pending
  await openFromNav(page, "Prescriptions");
  const rx = page.getByRole("listitem").filter({ hasText: "Amoxicillin" });
  await expect(rx.getByText("1 of 1")).toBeVisible();
  await rx.getByRole("button", { name: "Request a refill" }).click();
  const refill = page.getByRole("dialog", { name: "Request a refill" });
  await refill.getByLabel(/Note for your prescriber/).fill("Going abroad");
  await refill.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByText("Refill requested", { exact: true })).toBeVisible();
  await expect(rx.getByRole("button", { name: "Refill pending" })).toBeDisabled();
  await expect(rx.getByText("Pending", { exact: true })).toBeVisible();

  // download the report for the default period
  await openFromNav(page, "My data");
  const downloadEvent = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download the report" }).click();
  const download = await downloadEvent;
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const path = await download.path();
  expect(readFileSync(path).subarray(0, 5).toString()).toBe("%PDF-");

  // a reload keeps the session; the refresh token is out of the page's reach
  await page.reload();
  await settled(page);
  await expect(page.getByRole("heading", { name: "My data", level: 1 })).toBeVisible();
  expect(await page.evaluate(() => document.cookie)).not.toContain("healix_refresh");
  const cookie = (await context.cookies()).find((item) => item.name === "healix_refresh");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/api/auth" });
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);

  // sign out: back to sign-in, the cookie is gone and the portal is closed
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Healix" })).toBeVisible();
  expect((await context.cookies()).find((item) => item.name === "healix_refresh")).toBeUndefined();
  await page.goto("/appointments");
  await expect(page.getByRole("heading", { name: "Sign in to Healix" })).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fappointments/);
});
