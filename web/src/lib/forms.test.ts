import { describe, expect, it, vi } from "vitest";

import { ApiError } from "../api/errors";
import { problem } from "../test/render";
import { applyApiErrors } from "./forms";

function form(values: object) {
  return { values, setErrors: vi.fn() };
}

describe("applyApiErrors", () => {
  it("puts 422 field errors next to their fields and leaves no banner", () => {
    const target = form({ email: "", password: "" });
    const error = new ApiError(422, problem(422, "invalid", [{ loc: "password", msg: "Password is too common." }]));
    expect(applyApiErrors(target, error)).toBeNull();
    expect(target.setErrors).toHaveBeenCalledWith({ password: "Password is too common." });
  });

  it("maps nested locations through the field map", () => {
    const target = form({ value: 0, unit: "" });
    const error = new ApiError(422, problem(422, "invalid", [{ loc: "readings[0].unit", msg: "unit not accepted" }]));
    applyApiErrors(target, error, { "readings.0.unit": "unit" });
    expect(target.setErrors).toHaveBeenCalledWith({ unit: "unit not accepted" });
  });

  it("returns errors for fields the form does not have as a message", () => {
    const target = form({ email: "" });
    const error = new ApiError(422, problem(422, "invalid", [{ loc: "role", msg: "extra field" }]));
    expect(applyApiErrors(target, error)).toBe("extra field");
  });

  it("returns a business refusal's detail", () => {
    const target = form({ email: "" });
    expect(applyApiErrors(target, new ApiError(409, problem(409, "An account with this email already exists.")))).toBe(
      "An account with this email already exists.",
    );
    expect(target.setErrors).toHaveBeenCalledWith({});
  });
});
