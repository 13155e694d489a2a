import { expect, expectAccessible, openFromNav, PORTAL_PAGES, screenshot, settled, signIn, test } from "./fixtures";

for (const width of [1280, 360]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: width > 800 ? 900 : 780 } });

    test("signed-out pages pass the axe scan", async ({ page }) => {
      for (const path of [
        "/sign-in",
        "/sign-up",
        "/forgot-password",
        "/reset-password#token=x",
        "/set-password",
        "/no-such-page",
      ]) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await expectAccessible(page, path);
        await screenshot(page, `public${path.replace(/[^a-z]+/g, "-")}${width}`);
      }
    });

    // as the demo patient Bob, who has 30 days of demo data
    test("every portal page loads its data and passes the axe scan", async ({ page }) => {
      // thirteen pages, each scanned by axe, then three more: more than one default timeout
      test.slow();
      await signIn(page, "bob@healix-demo.com");
      for (const name of PORTAL_PAGES) {
        if (name !== "Dashboard") await openFromNav(page, name);
        await settled(page);
        await expect(page.getByRole("alert")).toHaveCount(0);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name} fits ${width} px without sideways scrolling`).toBeLessThanOrEqual(0);
        await expectAccessible(page, name);
        await screenshot(page, `${name.toLowerCase().replace(/\W+/g, "-")}-${width}`);
      }
      // the pages one level down
      await openFromNav(page, "Vitals");
      await page.getByRole("link", { name: /Heart rate/ }).click();
      await settled(page);
      await expectAccessible(page, "heart rate chart");
      await screenshot(page, `vitals-heart-rate-${width}`);
      await openFromNav(page, "Appointments");
      await page.getByRole("link", { name: "Book an appointment" }).click();
      await settled(page);
      await page.getByRole("radio", { name: /Dr Meredith Grey/ }).check();
      await settled(page);
      await expectAccessible(page, "booking");
      await screenshot(page, `book-appointment-${width}`);
    });
  });
}

test("dialogs pass the axe scan", async ({ page }) => {
  await signIn(page, "carol@healix-demo.com");
  const dialogs: [string, string, string][] = [
    ["Vitals", "", ""],
    ["Goals", "New goal", "New goal"],
    ["Devices", "Register a device", "Register a device"],
    ["Care team", "Add a provider", "Add a provider to your care team"],
  ];
  for (const [pageName, button, title] of dialogs) {
    await openFromNav(page, pageName);
    if (!button) {
      await page.getByRole("link", { name: /Heart rate/ }).click();
      await settled(page);
      await page.getByRole("button", { name: "Add a reading" }).click();
      await expect(page.getByRole("dialog", { name: "Add a reading" })).toBeVisible();
    } else {
      await page.getByRole("button", { name: button }).click();
      await expect(page.getByRole("dialog", { name: title })).toBeVisible();
    }
    await expectAccessible(page, `${pageName} dialog`);
    await page.keyboard.press("Escape");
    await expect(page.getByRole("dialog")).toHaveCount(0);
  }
});

test("the portal can be used with the keyboard alone", async ({ page }) => {
  await signIn(page, "alice@healix-demo.com");
  await page.goto("/");
  await settled(page);
  // the skip link comes first and moves focus to the main content
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  // reach the Goals link by tabbing, open it with Enter
  let found = false;
  for (let i = 0; i < 40 && !found; i += 1) {
    await page.keyboard.press("Tab");
    found = await page
      .getByRole("navigation", { name: "Main navigation" })
      .getByRole("link", { name: "Goals" })
      .evaluate((element) => element === document.activeElement);
  }
  expect(found).toBe(true);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Goals", level: 1 })).toBeVisible();
  // open the new-goal dialog from the keyboard and close it with Escape
  await page.getByRole("button", { name: "New goal" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog", { name: "New goal" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New goal" })).toBeFocused();
});
