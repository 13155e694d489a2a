import { expect, openFromNav, PORTAL_PAGES, settled, signIn, test } from "./fixtures";

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

/** Records the page's API calls; `quiet()` waits until none has been in flight for 700 ms. */
function watchApi(page: import("@playwright/test").Page) {
  const inFlight = new Set<import("@playwright/test").Request>();
  const state = { calls: [] as string[], urls: [] as string[], last: Date.now() };
  const isApi = (url: string) => new URL(url).pathname.startsWith("/api/");
  page.on("request", (request) => {
    if (!isApi(request.url())) return;
    state.calls.push(`${request.method()} ${apiPath(request.url())}`);
    const { pathname, search } = new URL(request.url());
    state.urls.push(`${request.method()} ${pathname}${search}`);
    inFlight.add(request);
    state.last = Date.now();
  });
  const done = (request: import("@playwright/test").Request) => {
    if (!inFlight.delete(request)) return;
    state.last = Date.now();
  };
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  return {
    state,
    reset() {
      state.calls = [];
      state.urls = [];
    },
    async quiet() {
      await expect.poll(() => inFlight.size === 0 && Date.now() - state.last > 700, { timeout: 15_000 }).toBe(true);
    },
  };
}

test("the dashboard needs at most 5 API calls, and no page asks once per item", async ({ page }) => {
  await signIn(page, "alice@healix-demo.com");
  const api = watchApi(page);
  await api.quiet();
  api.reset();

  // a cold load of the dashboard: the session is restored, then the page asks for its data
  await page.reload();
  await settled(page);
  await api.quiet();
  const calls = api.state.calls;
  const session = calls.filter((call) => call.includes("/api/auth/") || call.endsWith("/api/users/me"));
  const data = calls.filter((call) => !session.includes(call));
  console.log(
    `dashboard cold load: ${calls.length} API calls — session ${session.join(", ")}; data ${data.join(", ")}`,
  );
  expect(data.length).toBeLessThanOrEqual(5);
  expect(session).toEqual(["POST /api/auth/refresh"]);

  for (const name of [...PORTAL_PAGES.slice(1), "Dashboard"]) {
    api.reset();
    await openFromNav(page, name);
    await api.quiet();
    const { calls: made, urls } = api.state;
    console.log(`${name}: ${made.length} API calls${made.length ? ` (${made.join(", ")})` : ""}`);
    // the same request twice, or one endpoint asked for many items one by one, would show here
    expect(new Set(urls).size, `${name} asks nothing twice: ${urls.join(", ")}`).toBe(urls.length);
    expect(
      made.filter((call) => call.includes("{id}")),
      `${name} asks nothing per item`,
    ).toEqual([]);
    expect(made.length, `${name} makes a bounded number of calls`).toBeLessThanOrEqual(6);
  }
});
