import { createHmac } from "node:crypto";

import { expect, expectAccessible, NEW_PASSWORD, settled, signUp, test, uniqueEmail } from "./fixtures";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** The RFC 6238 code of a base32 secret, `stepOffset` 30-second steps from now (as an app would). */
function totp(secret: string, stepOffset = 0): string {
  const bits = secret.replace(/=+$/, "").replace(/./g, (char) => BASE32.indexOf(char).toString(2).padStart(5, "0"));
  const key = Buffer.from(bits.match(/.{8}/g)?.map((byte) => parseInt(byte, 2)) ?? []);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + stepOffset));
  const digest = createHmac("sha1", key).update(counter).digest();
  const offset = (digest[digest.length - 1] ?? 0) & 0xf;
  return ((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, "0");
}

test("a patient turns on two-factor sign-in, signs out, and signs in with a code", async ({ page }) => {
  const email = uniqueEmail("totp");
  await signUp(page, "Tove", email);

  await page.goto("/profile");
  await page.getByRole("link", { name: "two-factor sign-in settings" }).click();
  await expect(page.getByRole("heading", { name: "Sign-in security", level: 1 })).toBeVisible();
  await settled(page);
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  await expectAccessible(page, "two-factor setup");
  const secret = (await page.getByTestId("mfa-secret").textContent()) ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

  // a wrong code first: refused in words
  await page.getByLabel(/^Authentication code/).fill(totp(secret, 5));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByRole("alert")).toContainText("The code is not valid");
  await page.getByLabel(/^Authentication code/).fill(totp(secret, -1));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
  await expect(page.getByText(/Recovery codes left: 10/)).toBeVisible();

  await page.getByRole("link", { name: "Back to Healix" }).click();
  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Healix" })).toBeVisible();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Enter your code" })).toBeVisible();
  await expectAccessible(page, "sign-in code step");
  // the code used to turn it on is spent: a replay is refused
  await page.getByLabel(/^Authentication code/).fill(totp(secret, -1));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The code is not valid.");
  await page.getByLabel(/^Authentication code/).fill(totp(secret, 0));
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page.getByRole("heading", { name: "Hello, Tove" })).toBeVisible();
});
