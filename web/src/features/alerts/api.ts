import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export type Alert = Schemas["AlertRead"];
export interface AlertFilters {
  status: "open" | "acknowledged" | "dismissed" | "resolved" | null;
  severity: "warning" | "critical" | null;
  biomarker_type: string | null;
}

export function useOpenAlerts(limit = 5) {
  return useQuery({
    queryKey: ["alerts", "open", limit],
    queryFn: () => unwrap(api.GET("/api/alerts", { params: { query: { status: "open", limit } } })),
  });
}

export function useAlerts(filters: AlertFilters) {
  return useInfiniteQuery({
    queryKey: ["alerts", "list", filters],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/alerts", { params: { query: { ...filters, cursor: pageParam, limit: 20 } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export function useUpdateAlert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string } & Schemas["AlertUpdate"]) =>
      unwrap(api.PATCH("/api/alerts/{alert_id}", { params: { path: { alert_id: id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["alerts"] }),
  });
}
