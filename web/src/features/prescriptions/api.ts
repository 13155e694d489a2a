import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, saveDownload, unwrap, type Schemas } from "../../api/client";

export type Prescription = Schemas["PrescriptionRead"];

export function usePrescriptions(status: "active" | null) {
  return useInfiniteQuery({
    queryKey: ["prescriptions", status],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/prescriptions", { params: { query: { status, cursor: pageParam, limit: 20 } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export function useRequestRefill() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string | null }) =>
      unwrap(
        api.POST("/api/prescriptions/{prescription_id}/refill-requests", {
          params: { path: { prescription_id: id } },
          body: { note },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["prescriptions"] }),
  });
}

export function downloadPrescriptionPdf(id: string): Promise<void> {
  return saveDownload(
    api.GET("/api/prescriptions/{prescription_id}/pdf", { params: { path: { prescription_id: id } }, parseAs: "blob" }),
    "prescription.pdf",
  );
}
