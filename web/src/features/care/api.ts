import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export type CareTeamMember = Schemas["CareTeamMember"];

export function useCareTeam() {
  return useQuery({
    queryKey: ["care-team"],
    queryFn: () => unwrap(api.GET("/api/care-team", { params: { query: { limit: 100 } } })),
  });
}

export function useAddToCareTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["CareGrant"]) => unwrap(api.POST("/api/care-team", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["care-team"] }),
  });
}

export function useWithdrawConsent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (providerId: string) =>
      unwrap(api.DELETE("/api/care-team/{provider_id}", { params: { path: { provider_id: providerId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["care-team"] }),
  });
}
