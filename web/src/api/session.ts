/**
 * The browser session. The access token lives in this module's memory only (never in
 * localStorage or sessionStorage); the refresh token is an HttpOnly cookie the page cannot
 * read, sent only to /api/auth. Requests to the cookie endpoints carry CLIENT_HEADER, which a
 * cross-site form or image cannot add.
 */
import type { components } from "./schema";

export const CLIENT_HEADER = "X-Healix-Client";
export const CLIENT_HEADER_VALUE = "web";

type Session = components["schemas"]["AuthResponse"];

let accessToken: string | null = null;
let refreshing: Promise<Session | null> | null = null;
const expiryListeners = new Set<() => void>();

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

export function getAccessToken(): string | null {
  return accessToken;
}

/** Called when a refresh fails: the session is over and the app must show the sign-in page. */
export function onSessionExpired(listener: () => void): () => void {
  expiryListeners.add(listener);
  return () => expiryListeners.delete(listener);
}

async function rotate(): Promise<Session | null> {
  const response = await fetch("/api/auth/refresh", {
    method: "POST",
    credentials: "same-origin",
    headers: { [CLIENT_HEADER]: CLIENT_HEADER_VALUE },
  });
  if (!response.ok) {
    accessToken = null;
    return null;
  }
  const body = (await response.json()) as Session;
  accessToken = body.access_token;
  return body;
}

/**
 * Rotate the refresh cookie and obtain a new access token. One refresh at a time, across
 * tabs too (Web Locks): two tabs sending the same cookie at once would look like a replayed
 * token, which ends the session.
 */
export function refreshSession(): Promise<Session | null> {
  refreshing ??= (async () => {
    try {
      if ("locks" in navigator) return await navigator.locks.request("healix-session-refresh", rotate);
      return await rotate();
    } catch {
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function withHeaders(request: Request): Request {
  const next = new Request(request);
  next.headers.set(CLIENT_HEADER, CLIENT_HEADER_VALUE);
  if (accessToken && !next.headers.has("Authorization")) {
    next.headers.set("Authorization", `Bearer ${accessToken}`);
  }
  return next;
}

const NO_RETRY = ["/api/auth/login", "/api/auth/register", "/api/auth/refresh", "/api/auth/logout"];

/** fetch for the API client: adds the token, and on a 401 refreshes once and retries. */
export async function sessionFetch(request: Request): Promise<Response> {
  const retry = request.clone();
  const hadToken = accessToken !== null;
  const response = await fetch(withHeaders(request));
  const path = new URL(request.url).pathname;
  if (response.status !== 401 || !hadToken || NO_RETRY.includes(path)) return response;
  if (!(await refreshSession())) {
    for (const listener of expiryListeners) listener();
    return response;
  }
  return fetch(withHeaders(retry));
}
