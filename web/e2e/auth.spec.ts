import {
  apiLogin,
  DEMO_PASSWORD,
  expect,
  expectAccessible,
  NEW_PASSWORD,
  settled,
  signIn,
  signUp,
  test,
  uniqueEmail,
} from "./fixtures";

test("a wrong password is explained in words", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("alice@healix-demo.com");
  await page.getByLabel(/^Password/).fill("not-her-password-at-all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The email or password is incorrect.");
});

test("sign-up shows the server's password rule next to the field, and a taken email the same as a new one", async ({
  page,
}) => {
  await page.goto("/sign-up");
  await page.getByLabel(/^First name/).fill("Lana");
  await page.getByLabel(/^Last name/).fill("Walker");
  await page.getByLabel(/^Email/).fill("lantern.walker@example.com");
  await page.getByLabel(/^Password/).fill("lantern.walker-2026");
  await page.getByRole("button", { name: "Create account" }).click();
  const password = page.getByLabel(/^Password/);
  // the server's 422 errors[].loc "password" lands on the field, which describes it
  await expect(password).toHaveAccessibleDescription(/Password must not contain/);
  await expectAccessible(page, "sign-up with errors");

  await page.getByLabel(/^Email/).fill("alice@healix-demo.com");
  await password.fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  // no account enumeration: the address's owner is mailed instead (issue 15)
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("We have sent an email to alice@healix-demo.com");
  await expectAccessible(page, "sign-up sent");
});

test("forgot password answers the same for any address", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  // the sign-in page has an Email field too: wait until the lazy page has replaced it
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await page.getByLabel(/^Email/).fill("nobody-here@example.com");
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByRole("status")).toContainText("If an account exists for nobody-here@example.com");
});

test("a reset link with a bad token says what to do", async ({ page }) => {
  await page.goto("/reset-password#token=hxp_not-a-real-token");
  await expect(page).toHaveURL(/\/reset-password$/); // the token left the address bar
  await page.getByLabel(/^New password/).fill(NEW_PASSWORD);
  await page.getByLabel(/^Repeat the new password/).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Save the password" }).click();
  await expect(page.getByRole("alert")).toContainText(/token/i);
  await expect(page.getByRole("alert").getByRole("link", { name: "Ask for a new link" })).toBeVisible();
});

test("an invited provider sets a password from the invitation link, then signs in to their area", async ({
  page,
  request,
}) => {
  const admin = await apiLogin(request, "admin@healix-demo.com");
  const email = uniqueEmail("dr.invited");
  const invited = await request.post("/api/admin/providers", {
    headers: { Authorization: `Bearer ${admin}` },
    data: {
      email,
      first_name: "Nia",
      last_name: "Invited",
      specialization: "Dermatology",
      licence_number: `GMC-${Date.now()}`,
    },
  });
  expect(invited.status()).toBe(201);
  const { password_set_token: token } = (await invited.json()) as { password_set_token: string };

  await page.goto(`/set-password#token=${token}`);
  await expect(page.getByRole("heading", { name: "Set your password" })).toBeVisible();
  expect(new URL(page.url()).hash).toBe("");
  await expectAccessible(page, "set password");
  await page.getByLabel(/^New password/).fill(NEW_PASSWORD);
  await page.getByLabel(/^Repeat the new password/).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Save the password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password is set");
  await page.getByRole("link", { name: "Sign in" }).click();

  await signIn(page, email, NEW_PASSWORD).catch(() => undefined);
  await expect(page.getByRole("heading", { name: "My patients", level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/provider$/);
  // patient pages are not offered to a provider
  await page.goto("/vitals");
  await expect(page).toHaveURL(/\/provider$/);
});

test("a patient is kept out of the provider and admin areas", async ({ page }) => {
  await signUp(page, "Kim", uniqueEmail("kim"));
  for (const path of ["/provider", "/admin/users"]) {
    await page.goto(path);
    await settled(page);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { name: "Hello, Kim" })).toBeVisible();
  }
});

test("signing out in one tab ends the session for the other tabs too", async ({ page, context }) => {
  await signIn(page, "carol@healix-demo.com", DEMO_PASSWORD);
  const other = await context.newPage();
  await other.goto("/goals");
  await expect(other.getByRole("heading", { name: "Goals", level: 1 })).toBeVisible();
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Healix" })).toBeVisible();
  await other.reload();
  await expect(other.getByRole("heading", { name: "Sign in to Healix" })).toBeVisible();
});
