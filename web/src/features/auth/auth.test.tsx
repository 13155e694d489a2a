import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { problem, renderWithProviders, stubFetch } from "../../test/render";
import { readTokenFromHash } from "./SetPasswordPage";
import { safeNext, SignInPage } from "./SignInPage";
import { SessionProvider } from "./session";

describe("safeNext", () => {
  it("follows only same-site paths", () => {
    expect(safeNext("/appointments?x=1")).toBe("/appointments?x=1");
    expect(safeNext("//evil.example/")).toBeNull();
    expect(safeNext("/\\evil.example")).toBeNull();
    expect(safeNext("https://evil.example")).toBeNull();
    expect(safeNext(null)).toBeNull();
  });
});

describe("readTokenFromHash", () => {
  it("reads the token from the fragment", () => {
    expect(readTokenFromHash("#token=hxp_abc.def")).toBe("hxp_abc.def");
    expect(readTokenFromHash("")).toBeNull();
  });
});

describe("SignInPage", () => {
  it("shows the server's refusal in words", async () => {
    const { fetchStub } = stubFetch([
      [/POST \/api\/auth\/refresh/, () => ({ status: 401, body: problem(401, "A bearer token is required.") })],
      [
        /POST \/api\/auth\/login/,
        () => ({ status: 429, body: problem(429, "Too many failed sign-in attempts; try again later.") }),
      ],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    renderWithProviders(
      <SessionProvider>
        <SignInPage />
      </SessionProvider>,
      { route: "/sign-in" },
    );
    await userEvent.type(screen.getByLabelText(/^Email/), "alice@example.com");
    await userEvent.type(screen.getByLabelText(/^Password/), "wrong-password");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many failed sign-in attempts; try again later.");
  });

  it("checks the fields before asking the server", async () => {
    const { fetchStub, calls } = stubFetch([[/POST \/api\/auth\/refresh/, () => ({ status: 401, body: {} })]]);
    vi.stubGlobal("fetch", fetchStub);
    renderWithProviders(
      <SessionProvider>
        <SignInPage />
      </SessionProvider>,
    );
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByText("Enter your email address.")).toBeVisible();
    expect(calls.filter((call) => call.url.includes("/login"))).toHaveLength(0);
  });
});
