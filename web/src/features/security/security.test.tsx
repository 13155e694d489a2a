import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { problem, renderWithProviders, stubFetch } from "../../test/render";
import { SignInPage } from "../auth/SignInPage";
import { SignUpPage } from "../auth/SignUpPage";
import { UnlockPage } from "../auth/UnlockPage";
import { VerifyEmailPage } from "../auth/VerifyEmailPage";
import { SessionProvider } from "../auth/session";
import { SecurityPage } from "./SecurityPage";

const USER = {
  id: "u1",
  email: "pat@example.com",
  role: "patient",
  status: "active",
  first_name: "Pat",
  last_name: "Doe",
  created_at: "2026-01-01T00:00:00Z",
};
const TOKENS = { access_token: "a", refresh_token: null, token_type: "Bearer", expires_in: 900, user: USER };
const SETUP = {
  secret: "JBSWY3DPEHPK3PXP",
  otpauth_uri: "otpauth://totp/Healix:pat%40example.com?secret=JBSWY3DPEHPK3PXP",
};
const CODES = Array.from({ length: 10 }, (_, i) => `abcde-fgh${String(i)}j`);
const noSession: [RegExp, () => { status: number; body: unknown }] = [
  /POST \/api\/auth\/refresh/,
  () => ({ status: 401, body: problem(401, "A bearer token is required.") }),
];

async function typePassword() {
  await userEvent.type(screen.getByLabelText(/^Email/), "pat@example.com");
  await userEvent.type(screen.getByLabelText(/^Password/), "Correct-Horse-Battery-9");
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("two-step sign-in", { timeout: 20_000 }, () => {
  it("asks for the code after the password and sends it with the challenge", async () => {
    const { fetchStub, calls } = stubFetch([
      noSession,
      [/POST \/api\/auth\/login\/mfa$/, () => ({ status: 200, body: TOKENS })],
      [
        /POST \/api\/auth\/login$/,
        () => ({ status: 202, body: { mfa_token: "challenge", expires_in: 300, enrolment_required: false } }),
      ],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    renderWithProviders(
      <SessionProvider>
        <SignInPage />
      </SessionProvider>,
      { route: "/sign-in" },
    );
    await typePassword();
    await userEvent.type(await screen.findByLabelText(/^Authentication code/), "123456");
    await userEvent.click(screen.getByRole("button", { name: "Verify and sign in" }));
    await vi.waitFor(() => {
      expect(calls.some((call) => call.url.endsWith("/api/auth/login/mfa"))).toBe(true);
    });
    const sent = calls.find((call) => call.url.endsWith("/api/auth/login/mfa"));
    expect(await sent?.json()).toEqual({ mfa_token: "challenge", code: "123456" });
  });

  it("shows a refused code in words and lets the user try again", async () => {
    const { fetchStub } = stubFetch([
      noSession,
      [/POST \/api\/auth\/login\/mfa$/, () => ({ status: 401, body: problem(401, "The code is not valid.") })],
      [
        /POST \/api\/auth\/login$/,
        () => ({ status: 202, body: { mfa_token: "challenge", expires_in: 300, enrolment_required: false } }),
      ],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    renderWithProviders(
      <SessionProvider>
        <SignInPage />
      </SessionProvider>,
      { route: "/sign-in" },
    );
    await typePassword();
    await userEvent.type(await screen.findByLabelText(/^Authentication code/), "000000");
    await userEvent.click(screen.getByRole("button", { name: "Verify and sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("The code is not valid.");
    expect(screen.getByLabelText(/^Authentication code/)).toHaveValue("");
  });

  it("sets up the factor during sign-in when the role requires it, then shows the recovery codes", async () => {
    const { fetchStub } = stubFetch([
      noSession,
      [/POST \/api\/auth\/login\/mfa\/setup$/, () => ({ status: 200, body: SETUP })],
      [/POST \/api\/auth\/login\/mfa$/, () => ({ status: 200, body: { ...TOKENS, recovery_codes: CODES } })],
      [
        /POST \/api\/auth\/login$/,
        () => ({ status: 202, body: { mfa_token: "challenge", expires_in: 300, enrolment_required: true } }),
      ],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    renderWithProviders(
      <SessionProvider>
        <SignInPage />
      </SessionProvider>,
      { route: "/sign-in" },
    );
    await typePassword();
    expect(await screen.findByRole("heading", { name: "Set up two-factor sign-in" })).toBeVisible();
    expect(screen.getByTestId("mfa-secret")).toHaveTextContent(SETUP.secret);
    await userEvent.type(screen.getByLabelText(/^Authentication code/), "123456");
    await userEvent.click(screen.getByRole("button", { name: "Turn on and sign in" }));
    const list = await screen.findByRole("list", { name: "Recovery codes" });
    expect(list.querySelectorAll("li")).toHaveLength(10);
  });
});

describe("SecurityPage", { timeout: 20_000 }, () => {
  it("sets up two-factor sign-in with a QR code and a first code", async () => {
    const { fetchStub } = stubFetch([
      noSession,
      [
        /GET \/api\/auth\/mfa$/,
        () => ({ status: 200, body: { enabled: false, confirmed_at: null, recovery_codes_left: 0, required: false } }),
      ],
      [/POST \/api\/auth\/mfa\/setup$/, () => ({ status: 200, body: SETUP })],
      [/POST \/api\/auth\/mfa\/confirm$/, () => ({ status: 200, body: { recovery_codes: CODES } })],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    renderWithProviders(
      <SessionProvider>
        <SecurityPage />
      </SessionProvider>,
      { route: "/settings/security" },
    );
    await userEvent.click(await screen.findByRole("button", { name: "Set up two-factor sign-in" }));
    expect(await screen.findByRole("img", { name: /QR code/ })).toBeVisible();
    await userEvent.type(screen.getByLabelText(/^Authentication code/), "123456");
    await userEvent.click(screen.getByRole("button", { name: "Turn on two-factor sign-in" }));
    expect(await screen.findByRole("list", { name: "Recovery codes" })).toBeVisible();
  });

  it("offers no way to turn it off when the role requires it", async () => {
    const { fetchStub } = stubFetch([
      noSession,
      [
        /GET \/api\/auth\/mfa$/,
        () => ({
          status: 200,
          body: { enabled: true, confirmed_at: "2026-01-01T00:00:00Z", recovery_codes_left: 9, required: true },
        }),
      ],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    renderWithProviders(
      <SessionProvider>
        <SecurityPage />
      </SessionProvider>,
    );
    expect(await screen.findByText(/Recovery codes left: 9/)).toBeVisible();
    expect(screen.queryByRole("button", { name: "Turn off two-factor sign-in" })).toBeNull();
  });
});

describe("sign-up and email verification", { timeout: 20_000 }, () => {
  it("says to check the email when the new details cannot sign in yet", async () => {
    const { fetchStub } = stubFetch([
      noSession,
      [/POST \/api\/auth\/register$/, () => ({ status: 202, body: { message: "Thank you." } })],
      [/POST \/api\/auth\/login$/, () => ({ status: 403, body: problem(403, "Confirm your email address first.") })],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    renderWithProviders(
      <SessionProvider>
        <SignUpPage />
      </SessionProvider>,
      { route: "/sign-up" },
    );
    await userEvent.type(screen.getByLabelText(/^First name/), "Nia");
    await userEvent.type(screen.getByLabelText(/^Last name/), "Obi");
    await userEvent.type(screen.getByLabelText(/^Email/), "nia@example.com");
    await userEvent.type(screen.getByLabelText(/^Password/), "Quiet-Harbour-Lights-81");
    await userEvent.click(screen.getByRole("button", { name: "Create account" }));
    expect(await screen.findByRole("status")).toHaveTextContent("We have sent an email to nia@example.com");
  });

  it("confirms the address from the link's fragment", async () => {
    const { fetchStub, calls } = stubFetch([noSession, [/POST \/api\/auth\/verify-email$/, () => ({ status: 204 })]]);
    vi.stubGlobal("fetch", fetchStub);
    window.history.replaceState(null, "", "/verify-email#token=hxv_abc");
    renderWithProviders(<VerifyEmailPage />, { route: "/verify-email" });
    expect(await screen.findByText("Your email address is confirmed. You can sign in now.")).toBeVisible();
    expect(window.location.hash).toBe("");
    const sent = calls.find((call) => call.url.endsWith("/api/auth/verify-email"));
    expect(await sent?.json()).toEqual({ token: "hxv_abc" });
  });

  it("unlocks the account from the link's fragment", async () => {
    const { fetchStub, calls } = stubFetch([noSession, [/POST \/api\/auth\/unlock$/, () => ({ status: 204 })]]);
    vi.stubGlobal("fetch", fetchStub);
    window.history.replaceState(null, "", "/unlock#token=hxu_abc");
    renderWithProviders(<UnlockPage />, { route: "/unlock" });
    expect(await screen.findByText("Your account is unlocked. You can sign in now.")).toBeVisible();
    expect(window.location.hash).toBe("");
    const sent = calls.find((call) => call.url.endsWith("/api/auth/unlock"));
    expect(await sent?.json()).toEqual({ token: "hxu_abc" });
  });
});
