import { useCallback, useMemo } from "react";

import { displayUnit, type CatalogType, type DisplayUnit } from "../../lib/units";
import { usePreferences } from "../profile/api";
import { useCatalog } from "./api";

/** Catalog entries by code, and the display unit of each type in the user's unit system. */
export function useDisplayUnits(): {
  types: Map<string, CatalogType>;
  unitFor: (code: string, canonicalUnit?: string) => DisplayUnit;
  nameOf: (code: string) => string;
} {
  const catalog = useCatalog();
  const { units } = usePreferences();
  const types = useMemo(
    () => new Map<string, CatalogType>((catalog.data?.items ?? []).map((item) => [item.code, item])),
    [catalog.data],
  );
  const unitFor = useCallback(
    (code: string, canonicalUnit?: string) => {
      const type = types.get(code);
      return displayUnit(type, canonicalUnit ?? type?.unit ?? "", units);
    },
    [types, units],
  );
  const nameOf = useCallback((code: string) => types.get(code)?.display_name ?? code.replace(/_/g, " "), [types]);
  return { types, unitFor, nameOf };
}
