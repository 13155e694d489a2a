import createClient from "openapi-fetch";

import { toApiError } from "./errors";
import type { components, paths } from "./schema";
import { sessionFetch } from "./session";

export type Schemas = components["schemas"];

/** The one API client: typed from the OpenAPI document, authenticated by the session. */
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  fetch: sessionFetch,
});

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The response data of a successful call; an ApiError (with the problem document) otherwise. */
export async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response, error);
  return data as T;
}

/** Save a file response (PDF, CSV, iCalendar, FHIR JSON) under the server's file name. */
export async function saveDownload(call: Promise<Outcome<unknown>>, fallbackName: string): Promise<void> {
  const { data, error, response } = await call;
  if (!response.ok) throw toApiError(response, error);
  const blob = data instanceof Blob ? data : new Blob([JSON.stringify(data)]);
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  const name = match?.[1] ? decodeURIComponent(match[1]) : fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}
