import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export type MfaStatus = Schemas["MfaStatusRead"];
export type MfaSetup = Schemas["MfaSetupRead"];

export const mfaQuery = queryOptions({
  queryKey: ["mfa"],
  queryFn: () => unwrap<MfaStatus>(api.GET("/api/auth/mfa")),
});

export function useMfaStatus() {
  return useQuery(mfaQuery);
}

export function useStartMfaSetup() {
  return useMutation({ mutationFn: () => unwrap<MfaSetup>(api.POST("/api/auth/mfa/setup")) });
}

export function useConfirmMfa() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["MfaCode"]) => unwrap(api.POST("/api/auth/mfa/confirm", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mfaQuery.queryKey }),
  });
}

export function useDisableMfa() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["MfaDisable"]) => unwrap(api.POST("/api/auth/mfa/disable", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mfaQuery.queryKey }),
  });
}
