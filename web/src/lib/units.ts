import type { Schemas } from "../api/client";

/** Display symbols for the catalog's UCUM unit codes (formatting only). */
const SYMBOLS: Record<string, string> = {
  "/min": "/min",
  "{steps}": "steps",
  Cel: "°C",
  "[degF]": "°F",
  "mm[Hg]": "mmHg",
  "[lb_av]": "lb",
  "dB[SPL]": "dB",
  h: "h",
  min: "min",
};

export function unitSymbol(code: string): string {
  return SYMBOLS[code] ?? code;
}

export function formatNumber(value: number, maximumFractionDigits = 1): string {
  return new Intl.NumberFormat(undefined, { maximumFractionDigits }).format(value);
}

export type UnitSystem = "metric" | "imperial";

/** A catalog entry; its `imperial` says how to show it in imperial units (value × scale + offset). */
export type CatalogType = Schemas["BiomarkerTypeRead"];

export interface DisplayUnit {
  /** UCUM code sent back to the API when entering readings in this unit */
  code: string;
  symbol: string;
  fromCanonical: (value: number) => number;
}

/** The unit a type is shown in for the user's unit system (canonical unless imperial applies). */
export function displayUnit(type: CatalogType | undefined, canonicalUnit: string, system: UnitSystem): DisplayUnit {
  const imperial = type?.imperial ?? null;
  if (system === "imperial" && imperial) {
    return {
      code: imperial.unit,
      symbol: unitSymbol(imperial.unit),
      fromCanonical: (value) => value * imperial.scale + imperial.offset,
    };
  }
  return { code: canonicalUnit, symbol: unitSymbol(canonicalUnit), fromCanonical: (value) => value };
}

/** A canonical value as text in the display unit, e.g. "98.6 °F". */
export function formatValue(value: number, unit: DisplayUnit, digits = 1): string {
  const symbol =
    unit.symbol === "steps"
      ? " steps"
      : unit.symbol.startsWith("/") || unit.symbol === "%"
        ? unit.symbol
        : ` ${unit.symbol}`;
  return `${formatNumber(unit.fromCanonical(value), digits)}${symbol}`;
}
