import type { Schemas } from "../api/client";

/** How a type writes one of its accepted UCUM codes for people (the catalog's `unit_labels`). */
export function unitSymbol(code: string, type?: CatalogType): string {
  return type?.unit_labels[code] ?? code;
}

export function formatNumber(value: number, maximumFractionDigits = 1): string {
  return new Intl.NumberFormat(undefined, { maximumFractionDigits }).format(value);
}

export type UnitSystem = "metric" | "imperial";

/** A catalog entry; its `display` says how to show it per unit system (value × factor + offset). */
export type CatalogType = Schemas["BiomarkerTypeRead"];

export interface DisplayUnit {
  /** UCUM code sent back to the API when entering readings in this unit */
  code: string;
  symbol: string;
  fromCanonical: (value: number) => number;
}

/** The unit a type is shown in for the user's unit system: the catalog's `display`, for values
 * stored in the type's canonical unit; any other unit is shown as it is. */
export function displayUnit(type: CatalogType | undefined, canonicalUnit: string, system: UnitSystem): DisplayUnit {
  const shown = type && canonicalUnit === type.unit ? type.display[system] : undefined;
  if (shown) {
    return {
      code: shown.code,
      symbol: shown.label,
      fromCanonical: (value) => value * shown.factor + shown.offset,
    };
  }
  return { code: canonicalUnit, symbol: unitSymbol(canonicalUnit, type), fromCanonical: (value) => value };
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
