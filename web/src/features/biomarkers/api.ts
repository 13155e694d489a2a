import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import catalog from "../../api/catalog.json";
import { api, unwrap, type Schemas } from "../../api/client";

export type BiomarkerType = Schemas["BiomarkerTypeRead"];
/** A type code the catalog knows (the API refuses any other). */
export type BiomarkerCode = Schemas["ReadingIn"]["type"];
export type Summary = Schemas["SummaryRead"];
export type Bucket = "hour" | "day" | "week";
export interface Period {
  from: string;
  to: string;
}

/**
 * The biomarker catalog (names, units, ranges). It changes only with the backend's code, so
 * the app carries it (src/api/catalog.json, generated and checked like the client) instead of
 * asking for it on every load.
 */
export const CATALOG: BiomarkerType[] = (catalog as unknown as { items: BiomarkerType[] }).items;

export function isBiomarkerCode(code: string | null | undefined): code is BiomarkerCode {
  return CATALOG.some((type) => type.code === code);
}

export function useCurrentReadings() {
  return useQuery({
    queryKey: ["biomarkers", "current"],
    queryFn: () => unwrap(api.GET("/api/biomarkers/current")),
  });
}

export function useThresholds() {
  return useQuery({
    queryKey: ["biomarkers", "thresholds"],
    queryFn: () => unwrap(api.GET("/api/biomarkers/thresholds")),
    staleTime: 5 * 60_000,
  });
}

export function useSummary(type: BiomarkerCode, bucket: Bucket, period: Period) {
  return useQuery({
    queryKey: ["biomarkers", "summary", type, bucket, period.from, period.to],
    queryFn: () =>
      unwrap(
        api.GET("/api/biomarkers/summary", { params: { query: { type, bucket, from: period.from, to: period.to } } }),
      ),
    placeholderData: (previous) => (previous?.biomarker_type === type ? previous : undefined),
  });
}

export function useHistory(type: BiomarkerCode, period: Period) {
  return useInfiniteQuery({
    queryKey: ["biomarkers", "history", type, period.from, period.to],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/biomarkers/history", {
          params: {
            query: { type, from: period.from, to: period.to, include_faulty: true, limit: 20, cursor: pageParam },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export function useAddReading() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reading: Schemas["ReadingIn"]) =>
      unwrap(api.POST("/api/biomarkers", { body: { readings: [reading] } })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["biomarkers"] }),
        queryClient.invalidateQueries({ queryKey: ["alerts"] }),
        queryClient.invalidateQueries({ queryKey: ["goals"] }),
        queryClient.invalidateQueries({ queryKey: ["notifications"] }),
      ]),
  });
}
