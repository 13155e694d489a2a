import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export type Profile = Schemas["ProfileRead"];
export type ProfileUpdate = Schemas["ProfileUpdate"];

export const profileQuery = queryOptions({
  queryKey: ["profile"],
  queryFn: () => unwrap<Profile>(api.GET("/api/users/me")),
  staleTime: 5 * 60_000,
});

export function useProfile() {
  return useQuery(profileQuery);
}

/** The user's time zone and units; sensible defaults until the profile has loaded. */
export function usePreferences(): { timeZone: string; units: "metric" | "imperial" } {
  const { data } = useQuery(profileQuery);
  return { timeZone: data?.timezone ?? "UTC", units: data?.preferences?.units ?? "metric" };
}

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ProfileUpdate) => unwrap(api.PATCH("/api/users/me", { body })),
    onSuccess: (profile) => {
      queryClient.setQueryData(profileQuery.queryKey, profile);
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: Schemas["ChangePasswordRequest"]) => unwrap(api.POST("/api/auth/change-password", { body })),
  });
}
