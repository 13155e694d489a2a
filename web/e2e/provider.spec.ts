/**
 * The provider workspace: Dr Grey's day (find a patient, read the chart, acknowledge an alert,
 * write a prescription, approve a refill, confirm a requested appointment, emergency access),
 * role separation, and the axe scan of every provider page at 1280 and 360 px.
 *
 * Patients are made fresh through the API (as they would sign up and consent themselves), so
 * the flows do not depend on what other specs do to the demo patients. The requested
 * appointment is the demo's (Bob asked Dr Grey for one).
 */
import type { APIRequestContext } from "@playwright/test";

import {
  apiLogin,
  expect,
  expectAccessible,
  NEW_PASSWORD,
  screenshot,
  settled,
  signIn,
  signUp,
  test,
  uniqueEmail,
} from "./fixtures";

const GREY = "dr.grey@healix-demo.com";
const PROVIDER_PAGES = ["My patients", "Schedule", "Refill queue", "Emergency access", "Notifications"];

interface FreshPatient {
  id: string;
  token: string;
  firstName: string;
  lastName: string;
}

function bearer(token: string) {
  return { Authorization: `Bearer ${token}` };
}

/** A new patient registered through the API, optionally in Dr Grey's care. */
async function freshPatient(request: APIRequestContext, firstName: string, consent: boolean): Promise<FreshPatient> {
  const email = uniqueEmail(firstName.toLowerCase());
  const lastName = `Prov${Date.now().toString(36)}`;
  const registered = await request.post("/api/auth/register", {
    data: { email, password: NEW_PASSWORD, first_name: firstName, last_name: lastName },
  });
  expect(registered.status()).toBe(202);
  const token = await apiLogin(request, email, NEW_PASSWORD);
  const me = (await (await request.get("/api/auth/me", { headers: bearer(token) })).json()) as { id: string };
  if (consent) {
    const providers = (await (await request.get("/api/providers?q=Grey", { headers: bearer(token) })).json()) as {
      items: { id: string }[];
    };
    const grey = providers.items[0];
    expect(grey).toBeDefined();
    const added = await request.post("/api/care-team", { headers: bearer(token), data: { provider_id: grey?.id } });
    expect(added.status()).toBe(201);
  }
  return { id: me.id, token, firstName, lastName };
}

async function openFromProviderNav(page: import("@playwright/test").Page, name: string): Promise<void> {
  const burger = page.getByRole("button", { name: "Open navigation" });
  if (await burger.isVisible()) await burger.click();
  await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await settled(page);
}

test("a provider works through the day: chart, alert, prescription, refill, request, emergency access", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const patient = await freshPatient(request, "Pia", true);
  // a reading far above the default heart rate range opens a critical alert
  const reading = await request.post("/api/biomarkers", {
    headers: bearer(patient.token),
    data: {
      readings: [
        { type: "heart_rate", value: 152, unit: "bpm", timestamp: new Date(Date.now() - 60_000).toISOString() },
      ],
    },
  });
  expect(reading.status()).toBe(201);

  await signIn(page, GREY);
  await expect(page).toHaveURL(/\/provider$/);
  await settled(page);

  // find the patient and open the chart
  await page.getByLabel("Search by name").fill(patient.lastName);
  const row = page.getByRole("row").filter({ hasText: patient.lastName });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Needs attention")).toBeVisible();
  await row.getByRole("link", { name: `${patient.lastName}, ${patient.firstName}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${patient.firstName} ${patient.lastName}` })).toBeVisible();
  await settled(page);
  await expect(page.getByText(/Latest heart rate/)).toContainText("152");

  // acknowledge the alert with a note
  await page.getByRole("tab", { name: "Alerts" }).click();
  await settled(page);
  await page.getByRole("button", { name: "Acknowledge" }).click();
  const ack = page.getByRole("dialog", { name: "Acknowledge the alert" });
  await ack.getByLabel(/^Note/).fill("Called the patient; resting now.");
  await ack.getByRole("button", { name: "Acknowledge" }).click();
  await expect(ack).toBeHidden();
  await expect(page.getByText("No alerts to show.")).toBeVisible();

  // write a prescription with refills
  await page.getByRole("tab", { name: "Prescriptions" }).click();
  await page.getByRole("button", { name: "Write a prescription" }).click();
  const write = page.getByRole("dialog", { name: /Write a prescription/ });
  await write.getByLabel(/^Medication/).fill("Bisoprolol");
  await write.getByLabel(/^Dosage/).fill("2.5 mg once daily");
  await write.getByLabel(/^Refills allowed/).fill("2");
  await write.getByRole("button", { name: "Write prescription" }).click();
  await expect(write).toBeHidden();
  await expect(page.getByRole("listitem").filter({ hasText: "Bisoprolol" })).toBeVisible();

  // the patient asks for a refill; it waits in the refill queue, where the provider approves it
  const prescriptions = (await (
    await request.get("/api/prescriptions", { headers: bearer(patient.token) })
  ).json()) as { items: { id: string }[] };
  const asked = await request.post(`/api/prescriptions/${prescriptions.items[0]?.id}/refill-requests`, {
    headers: bearer(patient.token),
    data: { note: "Running low" },
  });
  expect(asked.status()).toBe(201);
  await openFromProviderNav(page, "Refill queue");
  const refill = page.getByRole("listitem").filter({ hasText: patient.lastName });
  await expect(refill).toContainText("Running low");
  await refill.getByRole("button", { name: "Approve" }).click();
  const approve = page.getByRole("dialog", { name: "Approve the refill" });
  await approve.getByLabel(/^Note for the patient/).fill("Collect at the pharmacy.");
  await approve.getByRole("button", { name: "Approve refill" }).click();
  await expect(approve).toBeHidden();
  await expect(page.getByRole("listitem").filter({ hasText: patient.lastName })).toHaveCount(0);

  // confirm Bob's requested appointment
  await openFromProviderNav(page, "Schedule");
  const requests = page.getByRole("list", { name: "Appointment requests" });
  const bob = requests.getByRole("listitem").filter({ hasText: "Bob" });
  await expect(bob.getByText("Pending approval")).toBeVisible();
  await bob.getByRole("button", { name: "Confirm" }).click();
  await expect(page.getByText("No requests are waiting for an answer.")).toBeVisible();

  // emergency access to a patient not in my care
  const stranger = await freshPatient(request, "Eli", false);
  await openFromProviderNav(page, "Emergency access");
  await page.getByLabel(/^Patient ID/).fill(stranger.id);
  await page.getByLabel(/^Reason/).fill("Collapsed in the waiting room");
  await page.getByRole("button", { name: "Request emergency access" }).click();
  await expect(page.getByText("Confirm that you understand.")).toBeVisible();
  await page.getByLabel(/I understand/).check();
  await page.getByRole("button", { name: "Request emergency access" }).click();
  const confirm = page.getByRole("dialog", { name: "Open emergency access?" });
  await confirm.getByRole("button", { name: "Open emergency access" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Eli ${stranger.lastName}` })).toBeVisible();
  const banner = page.getByRole("alert", { name: "Emergency access" });
  await expect(banner).toContainText(/min left/);
  await expectAccessible(page, "chart with the emergency banner");
});

test("a patient's session cannot open provider pages", async ({ page }) => {
  await signUp(page, "Ria", uniqueEmail("ria"));
  for (const path of ["/provider", "/provider/schedule", "/provider/patients/00000000-0000-0000-0000-000000000000"]) {
    await page.goto(path);
    await settled(page);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { name: "Hello, Ria" })).toBeVisible();
  }
});

for (const width of [1280, 360]) {
  test.describe(`provider pages at ${width} px`, () => {
    test.use({ viewport: { width, height: width > 800 ? 900 : 780 } });

    test("every provider page loads and passes the axe scan", async ({ page, request }) => {
      test.setTimeout(180_000);
      const patient = await freshPatient(request, "Ada", true);
      await request.post("/api/biomarkers", {
        headers: bearer(patient.token),
        data: {
          readings: [
            { type: "heart_rate", value: 118, unit: "bpm", timestamp: new Date(Date.now() - 60_000).toISOString() },
          ],
        },
      });
      await signIn(page, GREY);
      for (const name of PROVIDER_PAGES) {
        if (name !== "My patients") await openFromProviderNav(page, name);
        await settled(page);
        await expect(page.getByRole("alert")).toHaveCount(0);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name} fits ${width} px without sideways scrolling`).toBeLessThanOrEqual(0);
        await expectAccessible(page, name);
        await screenshot(page, `provider-${name.toLowerCase().replace(/\W+/g, "-")}-${width}`);
      }
      // the chart of Bob (30 days of demo data), every tab
      await openFromProviderNav(page, "My patients");
      await page.getByLabel("Search by name").fill("Bob");
      await expect(page.getByRole("row").filter({ hasText: "Bob" })).toHaveCount(1);
      await expect(page.getByRole("row")).toHaveCount(2);
      await page.getByRole("link", { name: /Bob/ }).click();
      await expect(page.getByRole("tab", { name: "Vitals" })).toBeVisible();
      await settled(page);
      for (const tab of ["Vitals", "Alerts", "Prescriptions", "Appointments", "Report"]) {
        await page.getByRole("tab", { name: tab }).click();
        await settled(page);
        await expectAccessible(page, `chart: ${tab}`);
        await screenshot(page, `provider-chart-${tab.toLowerCase()}-${width}`);
      }
      // the dialogs of the chart
      await page.getByRole("tab", { name: "Vitals" }).click();
      await settled(page);
      await page.getByRole("button", { name: "Edit thresholds of Heart rate" }).click();
      await expectAccessible(page, "threshold dialog");
      await page.keyboard.press("Escape");
      await page.getByRole("tab", { name: "Prescriptions" }).click();
      await page.getByRole("button", { name: "Write a prescription" }).click();
      await expectAccessible(page, "prescription dialog");
      await page.keyboard.press("Escape");
    });
  });
}
