import { beforeEach, describe, expect, it, vi } from "vitest";

import { stubFetch } from "../test/render";
import {
  CLIENT_HEADER,
  getAccessToken,
  onSessionExpired,
  refreshSession,
  sessionFetch,
  setAccessToken,
} from "./session";

const session = (token: string) => ({
  access_token: token,
  refresh_token: null,
  token_type: "Bearer",
  expires_in: 900,
  user: { id: "u1" },
});

describe("sessionFetch", () => {
  beforeEach(() => {
    setAccessToken(null);
  });

  it("sends the access token and the client header", async () => {
    setAccessToken("access-1");
    const { fetchStub, calls } = stubFetch([[/GET \/api\/goals/, () => ({ status: 200, body: { items: [] } })]]);
    vi.stubGlobal("fetch", fetchStub);
    await sessionFetch(new Request("http://localhost/api/goals"));
    expect(calls[0]?.headers.get("Authorization")).toBe("Bearer access-1");
    expect(calls[0]?.headers.get(CLIENT_HEADER)).toBe("web");
  });

  it("on a 401 refreshes once through the cookie and retries with the new token", async () => {
    setAccessToken("expired");
    const { fetchStub, calls } = stubFetch([
      [/POST \/api\/auth\/refresh/, () => ({ status: 200, body: session("access-2") })],
      [
        /POST \/api\/goals/,
        (request) => ({ status: request.headers.get("Authorization") === "Bearer access-2" ? 201 : 401 }),
      ],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    const response = await sessionFetch(
      new Request("http://localhost/api/goals", { method: "POST", body: '{"target_value": 5}' }),
    );
    expect(response.status).toBe(201);
    expect(calls.map((call) => `${call.method} ${new URL(call.url).pathname}`)).toEqual([
      "POST /api/goals",
      "POST /api/auth/refresh",
      "POST /api/goals",
    ]);
    expect(await calls[2]?.text()).toBe('{"target_value": 5}');
    expect(calls[1]?.credentials).toBe("same-origin");
    expect(getAccessToken()).toBe("access-2");
  });

  it("asks for one refresh however many requests fail at once", async () => {
    setAccessToken("expired");
    let refreshes = 0;
    const { fetchStub } = stubFetch([
      [
        /POST \/api\/auth\/refresh/,
        () => {
          refreshes += 1;
          return { status: 200, body: session("fresh") };
        },
      ],
      [
        /GET /,
        (request) => ({ status: request.headers.get("Authorization") === "Bearer fresh" ? 200 : 401, body: {} }),
      ],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    const responses = await Promise.all(
      ["a", "b", "c"].map((name) => sessionFetch(new Request(`http://localhost/api/${name}`))),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(refreshes).toBe(1);
  });

  it("ends the session when the refresh is refused", async () => {
    setAccessToken("expired");
    const expired = vi.fn();
    const stop = onSessionExpired(expired);
    const { fetchStub } = stubFetch([
      [/POST \/api\/auth\/refresh/, () => ({ status: 401, body: {} })],
      [/GET /, () => ({ status: 401, body: {} })],
    ]);
    vi.stubGlobal("fetch", fetchStub);
    const response = await sessionFetch(new Request("http://localhost/api/alerts"));
    expect(response.status).toBe(401);
    expect(expired).toHaveBeenCalledOnce();
    expect(getAccessToken()).toBeNull();
    stop();
  });

  it("does not refresh for a failed sign-in", async () => {
    const { fetchStub, calls } = stubFetch([[/POST \/api\/auth\/login/, () => ({ status: 401, body: {} })]]);
    vi.stubGlobal("fetch", fetchStub);
    await sessionFetch(new Request("http://localhost/api/auth/login", { method: "POST", body: "{}" }));
    expect(calls).toHaveLength(1);
  });
});

describe("refreshSession", () => {
  it("keeps the new access token in memory only", async () => {
    const { fetchStub } = stubFetch([[/POST \/api\/auth\/refresh/, () => ({ status: 200, body: session("kept") })]]);
    vi.stubGlobal("fetch", fetchStub);
    const result = await refreshSession();
    expect(result?.user).toEqual({ id: "u1" });
    expect(getAccessToken()).toBe("kept");
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });
});
