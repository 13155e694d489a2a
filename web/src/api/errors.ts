import type { components } from "./schema";

export type Problem = components["schemas"]["Problem"];

/** A failed API call: the HTTP status and the RFC 9457 problem document, when there is one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null) {
    super(problem?.detail ?? problem?.title ?? `Request failed (${status})`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }

  /** 422 `errors[]` as a map from field path (`readings[0].value` → `readings.0.value`) to message. */
  fieldErrors(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const { loc, msg } of this.problem?.errors ?? []) {
      const key = loc.replace(/\[(\d+)\]/g, ".$1");
      result[key] ??= msg;
    }
    return result;
  }
}

function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && "status" in value && "title" in value;
}

export function toApiError(response: Response, body: unknown): ApiError {
  return new ApiError(response.status, isProblem(body) ? body : null);
}

const STATUS_WORDS: Record<number, string> = {
  401: "Your session has ended. Please sign in again.",
  403: "You are not allowed to do this.",
  404: "This was not found. It may have been removed, or it is not yours to see.",
  409: "This conflicts with the current state. Reload and try again.",
  413: "This is too large to send.",
  429: "Too many attempts. Wait a moment and try again.",
};

/** Words for a person: the problem's `detail`, else a plain sentence — never a bare status code. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.problem?.detail) return error.problem.detail;
    if (error.status >= 500) return "Healix had a problem answering. Try again in a moment.";
    return STATUS_WORDS[error.status] ?? error.problem?.title ?? "The request could not be completed.";
  }
  if (error instanceof TypeError) return "Healix cannot be reached. Check your connection and try again.";
  return "Something went wrong. Try again.";
}
