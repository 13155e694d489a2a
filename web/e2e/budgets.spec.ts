import { expect, openFromNav, settled, signIn, test } from "./fixtures";

const KB = 1024;

test("the sign-in page loads at most 250 KB of JavaScript (gzip)", async ({ page }) => {
  const scripts: { url: string; bytes: number; encoding: string | undefined }[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script") return;
    const headers = response.headers();
    scripts.push({
      url: response.url(),
      bytes: Number(headers["content-length"] ?? 0),
      encoding: headers["content-encoding"],
    });
  });
  await page.goto("/sign-in");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await page.waitForTimeout(1000);
  const total = scripts.reduce((sum, script) => sum + script.bytes, 0);
  console.log(`sign-in page: ${scripts.length} scripts, ${(total / KB).toFixed(1)} KB gzip`);
  expect(scripts.every((script) => script.encoding === "gzip" && script.bytes > 0)).toBe(true);
  expect(total).toBeLessThanOrEqual(250 * KB);
  // code is split per area: none of the portal's pages came with it
  expect(scripts.some((script) => /Dashboard|Vitals|Appointments/.test(script.url))).toBe(false);
});

function apiPath(url: string): string {
  const { pathname } = new URL(url);
  return pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "{id}");
}

test("the dashboard needs at most 5 API calls, and no page asks once per item", async ({ page }) => {
  await signIn(page, "alice@healix-demo.com");
  let calls: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/"))
      calls.push(`${request.method()} ${apiPath(request.url())}`);
  });

  // a cold load of the dashboard: the session is restored, then the page asks for its data
  await page.reload();
  await settled(page);
  await page.waitForLoadState("networkidle");
  const session = calls.filter((call) => call.includes("/api/auth/") || call.endsWith("/api/users/me"));
  const data = calls.filter((call) => !session.includes(call));
  console.log(
    `dashboard cold load: ${calls.length} API calls — session ${session.join(", ")}; data ${data.join(", ")}`,
  );
  expect(data.length).toBeLessThanOrEqual(5);
  expect(session).toEqual(["POST /api/auth/refresh"]);

  for (const name of [
    "Vitals",
    "Alerts",
    "Goals",
    "Appointments",
    "Prescriptions",
    "Devices",
    "Care team",
    "Notifications",
    "Who saw my data",
    "My data",
    "Profile and settings",
    "Dashboard",
  ]) {
    calls = [];
    await openFromNav(page, name);
    await page.waitForLoadState("networkidle");
    const counts = new Map<string, number>();
    for (const call of calls) counts.set(call, (counts.get(call) ?? 0) + 1);
    console.log(`${name}: ${calls.length} API calls${calls.length ? ` (${[...counts.keys()].join(", ")})` : ""}`);
    for (const [call, count] of counts) expect(count, `${name} asks ${call} once`).toBe(1);
    expect(calls.length, `${name} makes a bounded number of calls`).toBeLessThanOrEqual(6);
  }
});
