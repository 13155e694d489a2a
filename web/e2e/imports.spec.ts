import { expect, expectAccessible, openFromNav, settled, signUp, test, uniqueEmail } from "./fixtures";

/** A small Apple Health export.xml, built here (no third-party sample data). */
function appleExport(): string {
  const records = [0, 1, 2]
    .map(
      (minute) =>
        `<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" ` +
        `startDate="2026-01-05 08:0${minute}:00 +0000" endDate="2026-01-05 08:0${minute}:00 +0000" value="${60 + minute}"/>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_GB">\n${records}\n<Workout/>\n</HealthData>\n`;
}

test("import data: upload an Apple Health export, watch it finish, see it under My data", async ({ page }) => {
  await signUp(page, "Imogen", uniqueEmail("imogen"));
  await openFromNav(page, "Import data");
  await expect(page.getByRole("heading", { name: "Import data", level: 1 })).toBeVisible();
  await expectAccessible(page, "the import page");

  await page.getByLabel("Export file").setInputFiles({
    name: "export.xml",
    mimeType: "application/xml",
    buffer: Buffer.from(appleExport()),
  });
  await page.getByRole("button", { name: "Upload and import" }).click();

  await expect(page.getByRole("status").filter({ hasText: /3 readings added/ })).toBeVisible();
  const counts = page.getByRole("table", { name: "Import counts" });
  await expect(counts.getByRole("row", { name: /Readings stored\s+3/ })).toBeVisible();
  await expect(counts.getByRole("row", { name: /Skipped.*\s+1/ })).toBeVisible();
  await expectAccessible(page, "a finished import");

  // the same file again adds nothing
  await page.getByRole("button", { name: "Upload and import" }).click();
  await expect(counts.getByRole("row", { name: /Already in your record\s+3/ })).toBeVisible();

  await openFromNav(page, "My data");
  const imports = page.getByRole("table", { name: "Your imports" });
  await expect(imports.getByRole("row", { name: /export\.xml/ })).toHaveCount(2);
  await expectAccessible(page, "My data with imports");
});

test("import data: a file that is no export is refused in words", async ({ page }) => {
  await signUp(page, "Ivo", uniqueEmail("ivo"));
  await page.goto("/import");
  await settled(page);
  await page.getByLabel("Export file").setInputFiles({
    name: "notes.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("not an export at all"),
  });
  await page.getByRole("button", { name: "Upload and import" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /not a recognised export/ })).toBeVisible();
  await expectAccessible(page, "the import page with an error");
});
