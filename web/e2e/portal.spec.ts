import {
  apiLogin,
  consentTo,
  expect,
  NEW_PASSWORD,
  openFromNav,
  pick,
  settled,
  signUp,
  test,
  uniqueEmail,
} from "./fixtures";

async function patientId(request: import("@playwright/test").APIRequestContext, email: string): Promise<string> {
  const token = await apiLogin(request, email, NEW_PASSWORD);
  const me = await request.get("/api/auth/me", { headers: { Authorization: `Bearer ${token}` } });
  return ((await me.json()) as { id: string }).id;
}

async function addReading(page: import("@playwright/test").Page, type: string, value: string, unit?: string) {
  await openFromNav(page, "Vitals");
  await page
    .getByRole("link", { name: new RegExp(type) })
    .first()
    .click();
  await settled(page);
  await page.getByRole("button", { name: "Add a reading" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a reading" });
  await dialog.getByLabel(/^Value/).fill(value);
  if (unit) {
    await pick(page, dialog, "Unit", unit);
  }
  await dialog.getByRole("button", { name: "Save reading" }).click();
  await expect(dialog).toBeHidden();
}

test("a high reading opens an alert, which the patient acknowledges and dismisses with notes", async ({ page }) => {
  await signUp(page, "Ari", uniqueEmail("alerts"));
  await addReading(page, "Heart rate", "150");
  await expect(page.getByText("an alert was opened")).toBeVisible();
  await openFromNav(page, "Alerts");
  const alert = page.getByRole("listitem").filter({ hasText: "Heart rate" });
  await expect(alert.getByText("Critical", { exact: true })).toBeVisible();
  await alert.getByRole("button", { name: "Acknowledge" }).click();
  let dialog = page.getByRole("dialog", { name: "Acknowledge the alert" });
  await dialog.getByLabel(/^Note/).fill("I was running for the bus");
  await dialog.getByRole("button", { name: "Acknowledge" }).click();
  // the list shows open alerts by default; the acknowledged one is under its status
  await expect(page.getByText("No alerts match these filters.")).toBeVisible();
  await pick(page, page, "Status", "Acknowledged");
  await expect(alert.getByText("Note: I was running for the bus")).toBeVisible();
  await alert.getByRole("button", { name: "Dismiss" }).click();
  dialog = page.getByRole("dialog", { name: "Dismiss the alert" });
  await dialog.getByRole("button", { name: "Dismiss" }).click();
  await expect(page.getByText("No alerts match these filters.")).toBeVisible();
});

test("goals: create, log progress, edit, end and delete", async ({ page }) => {
  await signUp(page, "Gia", uniqueEmail("goals"));
  await openFromNav(page, "Goals");
  await expect(page.getByText("No goals yet.")).toBeVisible();
  await page.getByRole("button", { name: "New goal" }).click();
  let dialog = page.getByRole("dialog", { name: "New goal" });
  await pick(page, dialog, "What to track", "Water intake");
  await dialog.getByLabel(/^Name/).fill("Drink more water");
  await dialog.getByLabel(/^Target/).fill("2000");
  await dialog.getByRole("button", { name: "Create goal" }).click();
  const goal = page.getByRole("listitem").filter({ hasText: "Drink more water" });
  await expect(goal.getByText("0 mL / at least 2,000 mL today")).toBeVisible();

  await goal.getByRole("button", { name: "Log progress" }).click();
  dialog = page.getByRole("dialog", { name: /Log progress/ });
  await dialog.getByLabel(/^Amount/).fill("500");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(goal.getByText("500 mL / at least 2,000 mL today")).toBeVisible();
  await expect(goal.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "25");

  await goal.getByRole("button", { name: "Edit" }).click();
  dialog = page.getByRole("dialog", { name: "Edit the goal" });
  await dialog.getByLabel(/^Target/).fill("1000");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(goal.getByText("500 mL / at least 1,000 mL today")).toBeVisible();

  await goal.getByRole("button", { name: /More/ }).click();
  await page.getByRole("menuitem", { name: "End as completed" }).click();
  await expect(page.getByText("No goals yet.")).toBeVisible();
  await page.getByText("All", { exact: true }).click();
  await expect(goal.getByText("Completed")).toBeVisible();
  await goal.getByRole("button", { name: /More/ }).click();
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("dialog", { name: "Delete the goal?" }).getByRole("button", { name: "Delete goal" }).click();
  await expect(page.getByText("No goals yet.")).toBeVisible();
});

test("devices: register with a one-time key, rename, deactivate, new key, remove", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUp(page, "Dev", uniqueEmail("devices"));
  await openFromNav(page, "Devices");
  await page.getByRole("button", { name: "Register a device" }).click();
  let dialog = page.getByRole("dialog", { name: "Register a device" });
  await dialog.getByLabel(/^Name/).fill("Morning watch");
  await dialog.getByRole("button", { name: "Register" }).click();
  dialog = page.getByRole("dialog", { name: "Device registered" });
  await expect(dialog.getByRole("alert")).toContainText("only time the key of Morning watch is shown");
  const key = (await dialog.getByLabel("API key").textContent()) ?? "";
  expect(key).toMatch(/^hx/);
  await dialog.getByRole("button", { name: "Copy the key" }).click();
  await expect(dialog.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  await dialog.getByRole("button", { name: "I have saved it" }).click();

  // the key works for the device's own upload endpoint
  const upload = await page.request.post("/api/devices/ingest", {
    headers: { "X-Device-Key": key },
    data: { readings: [{ type: "steps", value: 1200, unit: "steps", timestamp: new Date().toISOString() }] },
  });
  expect(upload.status()).toBe(201);

  const device = page.getByRole("listitem").filter({ hasText: "Morning watch" });
  await device.getByRole("button", { name: "Manage Morning watch" }).click();
  await page.getByRole("menuitem", { name: "Rename" }).click();
  dialog = page.getByRole("dialog", { name: "Rename the device" });
  await dialog.getByLabel(/^Name/).fill("Evening watch");
  await dialog.getByRole("button", { name: "Save" }).click();
  const renamed = page.getByRole("listitem").filter({ hasText: "Evening watch" });
  await expect(renamed.getByText("Active")).toBeVisible();

  await renamed.getByRole("button", { name: "Manage Evening watch" }).click();
  await page.getByRole("menuitem", { name: "Deactivate" }).click();
  await expect(renamed.getByText("Inactive")).toBeVisible();

  await renamed.getByRole("button", { name: "Manage Evening watch" }).click();
  await page.getByRole("menuitem", { name: "New key" }).click();
  await page.getByRole("dialog", { name: "Issue a new key?" }).getByRole("button", { name: "Issue new key" }).click();
  dialog = page.getByRole("dialog", { name: "New key issued" });
  const newKey = (await dialog.getByLabel("API key").textContent()) ?? "";
  expect(newKey).not.toBe(key);
  await dialog.getByRole("button", { name: "I have saved it" }).click();

  await renamed.getByRole("button", { name: "Manage Evening watch" }).click();
  await page.getByRole("menuitem", { name: "Remove" }).click();
  await page.getByRole("dialog", { name: "Remove the device?" }).getByRole("button", { name: "Remove device" }).click();
  await expect(page.getByText("No devices yet.")).toBeVisible();
});

test("care team, notifications and the access log follow what providers do", async ({ page, request }) => {
  const email = uniqueEmail("care");
  await signUp(page, "Cai", email);
  const id = await patientId(request, email);
  await consentTo(page, "Grey", /Dr Meredith Grey/);

  // Dr Grey reads the patient's data; Dr House breaks the glass
  const grey = await apiLogin(request, "dr.grey@healix-demo.com");
  expect((await request.get(`/api/patients/${id}`, { headers: { Authorization: `Bearer ${grey}` } })).status()).toBe(
    200,
  );
  const house = await apiLogin(request, "dr.house@healix-demo.com");
  const glass = await request.post(`/api/patients/${id}/emergency-access`, {
    headers: { Authorization: `Bearer ${house}` },
    data: { reason: "Unconscious in the emergency room" },
  });
  expect(glass.status()).toBe(201);

  await page.reload();
  await settled(page);
  await expect(
    page
      .getByRole("listitem")
      .filter({ hasText: "Dr Gregory House" })
      .getByText(/Emergency access without your consent, ends/),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: /Notifications, [1-9]\d* unread/ })).toBeVisible();

  await openFromNav(page, "Who saw my data");
  await expect(page.getByText(/Meredith Grey \(provider\) viewed your profile/)).toBeVisible();
  await expect(page.getByText(/Gregory House \(provider\) opened your record with emergency access/)).toBeVisible();

  await openFromNav(page, "Notifications");
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByText("You are all caught up.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Notifications, none unread" })).toBeVisible();

  await openFromNav(page, "Care team");
  const greyRow = page.getByRole("listitem").filter({ hasText: "Dr Meredith Grey" });
  await greyRow.getByRole("button", { name: "Withdraw consent" }).click();
  await page
    .getByRole("dialog", { name: "Withdraw consent?" })
    .getByRole("button", { name: "Withdraw consent" })
    .click();
  await expect(greyRow).toHaveCount(0);
  expect((await request.get(`/api/patients/${id}`, { headers: { Authorization: `Bearer ${grey}` } })).status()).toBe(
    404,
  );
});

test("profile: time zone and units change how values and times are shown", async ({ page }) => {
  await signUp(page, "Uma", uniqueEmail("units"));
  await addReading(page, "Body weight", "70");
  await expect(page.getByRole("table", { name: /Readings/ }).getByRole("cell", { name: "70 kg" })).toBeVisible();

  // the emails' "notification preferences" link lands on the settings
  await page.goto("/settings/notifications");
  await expect(page).toHaveURL(/\/profile#notification-settings$/);
  await expect(page.getByText("Notification settings")).toBeVisible();
  await page.getByText("Imperial (lb, °F)").click();
  await page
    .getByLabel(/^Time zone/)
    .first()
    .fill("Asia/Tokyo");
  await page.getByRole("option", { name: "Asia/Tokyo", exact: true }).click();
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Profile saved")).toBeVisible();

  await openFromNav(page, "Vitals");
  await page.getByRole("link", { name: /Body weight/ }).click();
  await settled(page);
  await expect(page.getByRole("table", { name: /Readings/ }).getByRole("cell", { name: "154.32 lb" })).toBeVisible();
  const measured = await page
    .getByRole("table", { name: /Readings/ })
    .getByRole("cell")
    .first()
    .textContent();
  const tokyoHour = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Tokyo",
    hour: "2-digit",
    hourCycle: "h23",
  }).format(new Date());
  expect(measured).toContain(`${tokyoHour}:`);
});
