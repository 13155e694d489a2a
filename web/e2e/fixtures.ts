import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";

export { expect };

/** Every page of the patient portal, by its navigation link. */
export const PORTAL_PAGES = [
  "Dashboard",
  "Vitals",
  "Alerts",
  "Goals",
  "Appointments",
  "Prescriptions",
  "Devices",
  "Care team",
  "Notifications",
  "Who saw my data",
  "Import data",
  "My data",
  "Profile and settings",
];

export const DEMO_PASSWORD = "Healix-Demo-2026!";
export const NEW_PASSWORD = "Quiet-Harbour-Lantern-42";

interface Fixtures {
  /** fails the test on an uncaught page error or a Content-Security-Policy violation */
  pageProblems: string[];
}

export const test = base.extend<Fixtures>({
  baseURL: async ({}, use) => {
    await use(process.env.E2E_BASE_URL);
  },
  pageProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
      page.on("console", (message) => {
        if (/Content Security Policy|Refused to (apply|load|execute)/i.test(message.text())) {
          problems.push(`CSP: ${message.text()}`);
        }
      });
      await use(problems);
      expect(problems, "no page errors or CSP violations").toEqual([]);
    },
    { auto: true },
  ],
});

let counter = 0;
export function uniqueEmail(prefix: string): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}${counter}.${Math.random().toString(36).slice(2, 6)}@example.com`;
}

/** No serious or critical WCAG 2.x A/AA violation on the page as it is now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  // let transitions (dialogs fading in, hover colours) finish: axe reads the colours as they are now
  await page.mouse.move(0, 0);
  await page.waitForTimeout(300);
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const bad = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
          .map((node) => `${node.target.join(" ")} ${node.html.slice(0, 160)}`)
          .slice(0, 5)
          .join(", ")}`,
    );
  expect(bad, `axe on ${what}`).toEqual([]);
}

/** Wait until the page's data has loaded (no "Loading…" status left). */
export async function settled(page: Page): Promise<void> {
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: /Loading|Opening|Looking/ })).toHaveCount(0);
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: /Account menu/ })).toBeVisible();
}

export async function signUp(page: Page, firstName: string, email: string, password = NEW_PASSWORD): Promise<void> {
  await page.goto("/sign-up");
  await page.getByLabel(/^First name/).fill(firstName);
  await page.getByLabel(/^Last name/).fill("Tester");
  await page.getByLabel(/^Email/).fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: `Hello, ${firstName}` })).toBeVisible();
}

/** Choose an option of a select box (a Mantine Select) by its label. */
export async function pick(page: Page, scope: Page | Locator, label: string, option: string): Promise<void> {
  // the label names the input and its listbox; the input comes first
  await scope
    .getByLabel(new RegExp(`^${label}`))
    .first()
    .click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

/** Pick an option of a segmented control (its radio inputs are visually hidden). */
export async function chooseSegment(page: Page, option: string): Promise<void> {
  await page.locator("label", { hasText: new RegExp(`^${option}$`) }).click();
}

/** Open a page of the patient area through its navigation link (as a person would), and wait
 * until the new page (not the one still shown while its code loads) has its data. */
export async function openFromNav(page: Page, name: string): Promise<void> {
  const burger = page.getByRole("button", { name: "Open navigation" });
  if (await burger.isVisible()) await burger.click();
  const link = page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name, exact: true });
  const wasCurrent = (await link.getAttribute("aria-current")) === "page";
  const before = await page.getByRole("heading", { level: 1 }).textContent();
  await link.click();
  if (!wasCurrent) await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(before ?? "");
  await settled(page);
}

/** Add a provider (found by name in the directory) to the patient's care team. */
export async function consentTo(page: Page, search: string, providerName: RegExp): Promise<void> {
  await openFromNav(page, "Care team");
  await page.getByRole("button", { name: "Add a provider" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a provider to your care team" });
  await dialog.getByRole("combobox", { name: "Provider" }).fill(search);
  await page.getByRole("option", { name: providerName }).click();
  await dialog.getByRole("button", { name: "Add to care team" }).click();
  await expect(dialog).toBeHidden();
}

/** An access token for direct API calls made by other actors (a provider, an admin). */
export async function apiLogin(request: APIRequestContext, email: string, password = DEMO_PASSWORD): Promise<string> {
  const response = await request.post("/api/auth/login", { data: { email, password } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Save a screenshot for the docs or a reviewer when E2E_SCREENSHOTS names a folder. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.E2E_SCREENSHOTS;
  if (!folder) return;
  await page.screenshot({ path: `${folder}/${name}.png`, fullPage: true });
}
