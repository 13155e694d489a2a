import {
  DEMO_PASSWORD,
  expect,
  expectAccessible,
  NEW_PASSWORD,
  openFromNav,
  pick,
  screenshot,
  settled,
  signIn,
  test,
  uniqueEmail,
} from "./fixtures";
import type { APIRequestContext, Page } from "@playwright/test";

const ADMIN = "admin@healix-demo.com";

/** Every page of the admin console, by its navigation link. */
const ADMIN_PAGES = [
  "Overview",
  "Users",
  "Care relationships",
  "Audit log",
  "Appointments",
  "Prescriptions",
  "Background jobs",
  "Notifications",
  "My account",
];

/** A new patient account, made through the public API. */
async function newPatient(request: APIRequestContext, firstName: string): Promise<string> {
  const email = uniqueEmail(firstName.toLowerCase());
  const response = await request.post("/api/auth/register", {
    data: { email, password: NEW_PASSWORD, first_name: firstName, last_name: "Tester" },
  });
  expect(response.status()).toBe(202);
  return email;
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Healix" })).toBeVisible();
}

/** Sign in without expecting a particular area's layout (the provider workspace has its own). */
async function signInAs(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
}

async function openUser(page: Page, search: string, name: string): Promise<void> {
  await openFromNav(page, "Users");
  await page.getByLabel(/^Search/).fill(search);
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await settled(page);
}

test("an admin invites a provider, who sets a password from the invitation and signs in", async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await openFromNav(page, "Users");
  await page.getByRole("button", { name: "Invite a provider" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite a provider" });
  const email = uniqueEmail("dr.new");
  // a missing field is named next to it, before anything is sent
  await dialog.getByRole("button", { name: "Send invitation" }).click();
  await expect(dialog.getByText("Enter a first name")).toBeVisible();
  await dialog.getByLabel(/^First name/).fill("Ines");
  await dialog.getByLabel(/^Last name/).fill("Okafor");
  await dialog.getByLabel(/^Email/).fill(email);
  await dialog.getByLabel(/^Specialization/).fill("Nephrology");
  await dialog.getByLabel(/^Licence number/).fill(`GMC-${Date.now()}`);
  await dialog.getByRole("button", { name: "Send invitation" }).click();
  await expect(dialog.getByRole("status")).toContainText("Invitation sent");
  const link = await dialog.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/set-password#token=hx/);
  await dialog.getByRole("button", { name: "Done" }).click();
  // the new account is listed as invited (no password yet)
  await page.getByLabel(/^Search/).fill(email);
  await expect(page.getByRole("row", { name: /Ines Okafor/ })).toContainText("Invited");
  await signOut(page);

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Set your password" })).toBeVisible();
  await page.getByLabel(/^New password/).fill(NEW_PASSWORD);
  await page.getByLabel(/^Repeat the new password/).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Save the password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password is set");
  await signInAs(page, email, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/provider/);
  // and the provider cannot open the admin console
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/provider/);
});

test("an admin deactivates a user, is kept from locking themself out, and verifies the audit chain", async ({
  page,
  request,
}) => {
  const email = await newPatient(request, "Dana");
  await signIn(page, ADMIN);
  await openUser(page, email, "Dana Tester");
  await page.getByRole("button", { name: "Deactivate" }).click();
  const confirm = page.getByRole("dialog", { name: "Deactivate Dana Tester?" });
  await confirm.getByRole("button", { name: "Deactivate" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("button", { name: "Reactivate" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Account" })).toContainText("Inactive");
  const refused = await request.post("/api/auth/login", { data: { email, password: NEW_PASSWORD } });
  expect(refused.status()).not.toBe(200);

  // one's own account: the actions that would lock the admin out are not offered
  await openUser(page, ADMIN, "Ada Admin");
  await expect(page.getByText("This is your own account")).toBeVisible();
  await expect(page.getByRole("button", { name: "Deactivate" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Erase account" })).toBeDisabled();

  await openFromNav(page, "Audit log");
  await page.getByLabel(/^Action/).fill("ADMIN_UPDATE_USER");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=ADMIN_UPDATE_USER/);
  const table = page.getByRole("region", { name: "Audit log entries" });
  await expect(table.getByRole("row").nth(1)).toContainText("ADMIN_UPDATE_USER");
  await table
    .getByRole("button", { name: /Details of entry/ })
    .first()
    .click();
  const entry = page.getByRole("dialog", { name: /Audit entry/ });
  await expect(entry).toContainText("sessions_revoked");
  await expectAccessible(page, "audit entry dialog");
  await entry.getByRole("button", { name: "Close", exact: true }).click();

  await page.getByRole("button", { name: "Verify the chain" }).click();
  await expect(page.getByText("The chain is intact")).toBeVisible();
  await expect(page.getByText(/\d+ rows checked/)).toBeVisible();
});

test("an admin records and ends a care relationship, and erases an account behind a typed name", async ({
  page,
  request,
}) => {
  const email = await newPatient(request, "Erin");
  await signIn(page, ADMIN);
  await openFromNav(page, "Care relationships");
  await page.getByRole("button", { name: "Record a relationship" }).click();
  const dialog = page.getByRole("dialog", { name: "Record a care relationship" });
  await dialog.getByRole("combobox", { name: "Provider" }).fill("House");
  await page.getByRole("option", { name: /Gregory House/ }).click();
  await dialog.getByRole("combobox", { name: "Patient" }).fill(email);
  await page.getByRole("option", { name: /Erin Tester/ }).click();
  await dialog.getByRole("button", { name: "Record relationship" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole("row", { name: /Erin Tester/ });
  await expect(row).toContainText("Active");
  await row.getByRole("button", { name: /End the relationship/ }).click();
  await page
    .getByRole("dialog", { name: "End this relationship?" })
    .getByRole("button", { name: "End relationship" })
    .click();
  await expect(page.getByRole("row", { name: /Erin Tester/ })).toHaveCount(0);

  await openUser(page, email, "Erin Tester");
  await page.getByRole("button", { name: "Erase account" }).click();
  const erase = page.getByRole("dialog", { name: "Erase Erin Tester's account?" });
  await erase.getByLabel(/^Type "Erin Tester"/).fill("Erin");
  await expect(erase.getByRole("button", { name: "Erase for good" })).toBeDisabled();
  await expectAccessible(page, "erase dialog");
  await erase.getByLabel(/^Type "Erin Tester"/).fill("erin tester");
  await erase.getByRole("button", { name: "Erase for good" }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await pick(page, page, "Status", "Erased");
  await page.getByLabel(/^Search/).fill(email);
  await expect(page.getByRole("main")).toContainText("No user matches");
});

test("patients and providers cannot open the admin console", async ({ page }) => {
  for (const [email, home] of [
    ["bob@healix-demo.com", /\/$/],
    ["dr.grey@healix-demo.com", /\/provider/],
  ] as const) {
    await signInAs(page, email);
    for (const path of ["/admin", "/admin/users", "/admin/audit"]) {
      await page.goto(path);
      await expect(page).toHaveURL(home);
      await expect(
        page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Audit log" }),
      ).toHaveCount(0);
    }
    await page.context().clearCookies();
  }
});

for (const width of [1280, 360]) {
  test.describe(`admin pages at ${width} px`, () => {
    test.use({ viewport: { width, height: width > 800 ? 900 : 780 } });

    test("every admin page loads its data and passes the axe scan", async ({ page }) => {
      test.setTimeout(180_000); // nine pages and three dialogs, an axe scan each
      await signIn(page, ADMIN);
      for (const name of ADMIN_PAGES) {
        if (name !== "Overview") await openFromNav(page, name);
        await settled(page);
        await expect(page.getByRole("alert")).toHaveCount(0);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name} fits ${width} px without sideways scrolling`).toBeLessThanOrEqual(0);
        await expectAccessible(page, name);
        await screenshot(page, `admin-${name.toLowerCase().replace(/\W+/g, "-")}-${width}`);
      }
      // a user's page and the dialogs
      await openUser(page, "dr.grey", "Meredith Grey");
      await expect(page.getByRole("region", { name: /Care relationships of/ })).toBeVisible();
      await expectAccessible(page, "user detail");
      await screenshot(page, `admin-user-${width}`);
      await openFromNav(page, "Users");
      await page.getByRole("button", { name: "Invite a provider" }).click();
      await expect(page.getByRole("dialog", { name: "Invite a provider" })).toBeVisible();
      await expectAccessible(page, "invite dialog");
      await page.keyboard.press("Escape");
      await openFromNav(page, "Care relationships");
      await page.getByRole("button", { name: "Record a relationship" }).click();
      await expect(page.getByRole("dialog", { name: "Record a care relationship" })).toBeVisible();
      await expectAccessible(page, "record relationship dialog");
      await page.keyboard.press("Escape");
      await expect(page.getByRole("dialog")).toHaveCount(0);
    });
  });
}
