import {
  expect,
  expectAccessible,
  openFromNav,
  screenshot,
  settled,
  signIn,
  signUp,
  test,
  uniqueEmail,
} from "./fixtures";

test("calendar subscription: create, copy, read by a calendar app, revoke", async ({ page, request, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, "alice@healix-demo.com");
  await openFromNav(page, "Profile and settings");
  const card = page
    .locator(".mantine-Card-root")
    .filter({ has: page.getByRole("heading", { name: "Calendar subscription" }) });
  await expect(card.getByText(/never the reason or any notes/)).toBeVisible();

  await card.getByRole("button", { name: /Create (a calendar|a new) link/ }).click();
  const link = card.getByLabel("Your calendar link");
  await expect(link).toHaveValue(/^webcal:\/\/.+\/api\/calendar\/feeds\/hxcal_[\w-]+\.ics$/);
  const webcal = await link.inputValue();
  await card.getByRole("button", { name: "Copy the link" }).click();
  await expect(card.getByRole("button", { name: "Link copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(webcal);
  await expectAccessible(page, "the profile page with a new calendar link");
  await screenshot(page, "calendar-link");

  // a calendar app reads the feed without signing in: Alice's appointments, no reasons or notes
  const path = `/${webcal.split("://")[1]?.split("/").slice(1).join("/") ?? ""}`;
  const feed = await request.get(path);
  expect(feed.status()).toBe(200);
  expect(feed.headers()["content-type"]).toContain("text/calendar");
  const body = await feed.text();
  expect(body).toContain("BEGIN:VEVENT");
  expect(body).toContain("BEGIN:VALARM");
  // the demo visits' reasons and the provider's notes stay in Healix
  for (const secret of ["Palpitations", "Holter", "ECG", "Follow-up"]) expect(body).not.toContain(secret);

  // after a reload the address is not shown again, only that a link is on
  await page.reload();
  await settled(page);
  await expect(card.getByText(/A calendar link is on since/)).toBeVisible();
  await expect(card.getByLabel("Your calendar link")).toHaveCount(0);

  await card.getByRole("button", { name: "Turn the link off" }).click();
  const dialog = page.getByRole("dialog", { name: "Turn the calendar link off?" });
  await expectAccessible(page, "the turn-off dialog");
  await dialog.getByRole("button", { name: "Turn it off" }).click();
  await expect(card.getByText("You have no calendar link.")).toBeVisible();
  expect((await request.get(path)).status()).toBe(404);
});

test("profile: gender is saved as written", async ({ page }) => {
  await signUp(page, "Noor", uniqueEmail("gender"));
  await openFromNav(page, "Profile and settings");
  await page.getByRole("combobox", { name: "Gender" }).fill("non-binary");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Profile saved")).toBeVisible();
  await page.reload();
  await settled(page);
  await expect(page.getByRole("combobox", { name: "Gender" })).toHaveValue("non-binary");
});

test("my data: the FHIR bundle for the chosen period or the whole record", async ({ page }) => {
  await signIn(page, "bob@healix-demo.com");
  await openFromNav(page, "My data");
  const card = page.locator(".mantine-Card-root").filter({ has: page.getByRole("heading", { name: /FHIR/ }) });

  let requested = page.waitForRequest(/\/api\/export\/fhir/);
  let download = page.waitForEvent("download");
  await card.getByRole("button", { name: "Download FHIR bundle" }).click();
  const forPeriod = new URL((await requested).url());
  expect(forPeriod.searchParams.get("from")).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  expect(forPeriod.searchParams.get("to")).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  expect((await download).suggestedFilename()).toMatch(/\.json$/);

  await card.getByLabel(/My whole record/).check();
  requested = page.waitForRequest(/\/api\/export\/fhir/);
  download = page.waitForEvent("download");
  await card.getByRole("button", { name: "Download FHIR bundle" }).click();
  expect(new URL((await requested).url()).searchParams.has("from")).toBe(false);
  await download;
  await expectAccessible(page, "my data with the FHIR choices");
});
