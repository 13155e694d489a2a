import { describe, expect, it } from "vitest";

import catalog from "../api/catalog.json";
import { displayUnit, formatValue, unitSymbol, type CatalogType } from "./units";

const TYPES = new Map<string, CatalogType>(
  (catalog as unknown as { items: CatalogType[] }).items.map((type) => [type.code, type]),
);
const weight = TYPES.get("body_weight");
const temperature = TYPES.get("body_temperature");
const heart = TYPES.get("heart_rate");
const glucose = TYPES.get("blood_glucose");

describe("display units", () => {
  it("shows the catalog's metric units", () => {
    const unit = displayUnit(weight, "kg", "metric");
    expect(unit.code).toBe("kg");
    expect(formatValue(70, unit)).toBe("70 kg");
    expect(formatValue(72, displayUnit(heart, "/min", "metric"))).toBe("72 bpm");
    expect(formatValue(90, displayUnit(glucose, "mg/dL", "metric"))).toBe("5 mmol/L");
  });

  it("converts with the catalog's factor and offset in the imperial system", () => {
    expect(formatValue(70, displayUnit(weight, "kg", "imperial"), 2)).toBe("154.32 lb");
    expect(formatValue(37, displayUnit(temperature, "Cel", "imperial"))).toBe("98.6 °F");
    expect(displayUnit(temperature, "Cel", "imperial").code).toBe("[degF]");
    expect(formatValue(90, displayUnit(glucose, "mg/dL", "imperial"))).toBe("90 mg/dL");
  });

  it("writes UCUM codes as people read them", () => {
    expect(unitSymbol("mm[Hg]", TYPES.get("blood_pressure_systolic"))).toBe("mmHg");
    expect(unitSymbol("{steps}", TYPES.get("steps"))).toBe("steps");
    expect(unitSymbol("[lb_av]", weight)).toBe("lb");
    expect(unitSymbol("mg/dL")).toBe("mg/dL");
  });
});
