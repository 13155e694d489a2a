import { useCallback } from "react";

import { displayUnit, type CatalogType, type DisplayUnit } from "../../lib/units";
import { usePreferences } from "../profile/api";
import { CATALOG } from "./api";

const TYPES = new Map<string, CatalogType>(CATALOG.map((item) => [item.code, item]));

function nameOf(code: string): string {
  return TYPES.get(code)?.display_name ?? code.replace(/_/g, " ");
}

/** Catalog entries by code, and the display unit of each type in the user's unit system. */
export function useDisplayUnits(): {
  types: Map<string, CatalogType>;
  unitFor: (code: string, canonicalUnit?: string) => DisplayUnit;
  nameOf: (code: string) => string;
} {
  const { units } = usePreferences();
  const unitFor = useCallback(
    (code: string, canonicalUnit?: string) => {
      const type = TYPES.get(code);
      return displayUnit(type, canonicalUnit ?? type?.unit ?? "", units);
    },
    [units],
  );
  return { types: TYPES, unitFor, nameOf };
}
