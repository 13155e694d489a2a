/**
 * The browser session. The access token lives in this module's memory only (never in
 * localStorage or sessionStorage); the refresh token is an HttpOnly cookie the page cannot
 * read, sent only to /api/auth. Requests to the cookie endpoints carry CLIENT_HEADER, which a
 * cross-site form or image cannot add.
 */
export const CLIENT_HEADER = "X-Healix-Client";
export const CLIENT_HEADER_VALUE = "web";

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;
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

/** Rotate the refresh cookie and obtain a new access token; one refresh at a time. */
export function refreshAccessToken(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      const response = await fetch("/api/auth/refresh", {
        method: "POST",
        credentials: "same-origin",
        headers: { [CLIENT_HEADER]: CLIENT_HEADER_VALUE },
      });
      if (!response.ok) {
        accessToken = null;
        return false;
      }
      const body = (await response.json()) as { access_token: string };
      accessToken = body.access_token;
      return true;
    } catch {
      return false;
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
  if (!(await refreshAccessToken())) {
    for (const listener of expiryListeners) listener();
    return response;
  }
  return fetch(withHeaders(retry));
}
