import { describe, expect, it } from "vitest";

import { problem } from "../test/render";
import { ApiError, errorMessage } from "./errors";

describe("ApiError", () => {
  it("maps 422 locations to field paths, first message per field", () => {
    const error = new ApiError(
      422,
      problem(422, "The request body or parameters are invalid.", [
        { loc: "readings[0].value", msg: "must be a finite number" },
        { loc: "email", msg: "not an email" },
        { loc: "email", msg: "a second complaint" },
      ]),
    );
    expect(error.fieldErrors()).toEqual({ "readings.0.value": "must be a finite number", email: "not an email" });
  });
});

describe("errorMessage", () => {
  it("prefers the problem's detail", () => {
    expect(errorMessage(new ApiError(409, problem(409, "This slot is taken.")))).toBe("This slot is taken.");
  });

  it("never shows a bare status code", () => {
    expect(errorMessage(new ApiError(404, null))).toMatch(/not found/i);
    expect(errorMessage(new ApiError(502, null))).toMatch(/try again/i);
    expect(errorMessage(new ApiError(418, null))).toBe("The request could not be completed.");
    expect(errorMessage(new ApiError(404, null))).not.toMatch(/404/);
  });

  it("explains network failures", () => {
    expect(errorMessage(new TypeError("Failed to fetch"))).toMatch(/cannot be reached/);
  });
});
