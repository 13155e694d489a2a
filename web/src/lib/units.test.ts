import { describe, expect, it } from "vitest";

import { displayUnit, formatValue, unitSymbol, type CatalogType } from "./units";

const weight = {
  code: "body_weight",
  unit: "kg",
  imperial: { unit: "[lb_av]", scale: 2.2046226218, offset: 0 },
} as CatalogType;
const temperature = {
  code: "body_temperature",
  unit: "Cel",
  imperial: { unit: "[degF]", scale: 1.8, offset: 32 },
} as CatalogType;

describe("display units", () => {
  it("shows canonical units in the metric system", () => {
    const unit = displayUnit(weight, "kg", "metric");
    expect(unit.code).toBe("kg");
    expect(formatValue(70, unit)).toBe("70 kg");
  });

  it("converts with the catalog's scale and offset in the imperial system", () => {
    expect(formatValue(70, displayUnit(weight, "kg", "imperial"), 2)).toBe("154.32 lb");
    expect(formatValue(37, displayUnit(temperature, "Cel", "imperial"))).toBe("98.6 °F");
  });

  it("keeps types without an imperial unit as they are", () => {
    const heart = { code: "heart_rate", unit: "/min", imperial: null } as CatalogType;
    expect(formatValue(72, displayUnit(heart, "/min", "imperial"))).toBe("72/min");
  });

  it("writes UCUM codes as people read them", () => {
    expect(unitSymbol("mm[Hg]")).toBe("mmHg");
    expect(unitSymbol("{steps}")).toBe("steps");
    expect(unitSymbol("mg/dL")).toBe("mg/dL");
  });
});
