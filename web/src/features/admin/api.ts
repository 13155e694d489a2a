import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";
import type { AuditFilters, PrescriptionFilters, UserFilters, AppointmentFilters } from "./words";
import { auditQuery, appointmentQuery } from "./words";

export type AdminUser = Schemas["AdminUserRead"];
export type AdminRelationship = Schemas["AdminRelationshipRead"];
export type AdminPrescription = Schemas["AdminPrescriptionRead"];
export type AuditEntry = Schemas["AuditLogRead"];
export type Job = Schemas["JobRead"];
export type ClinicAppointment = Schemas["AppointmentRead"];

const PAGE = 25;
const nextCursor = (page: { next_cursor?: string | null }) => page.next_cursor ?? null;

export function useAdminStats() {
  return useQuery({
    queryKey: ["admin", "stats"],
    queryFn: () => unwrap(api.GET("/api/admin/stats")),
  });
}

export function useUsers(filters: UserFilters) {
  return useInfiniteQuery({
    queryKey: ["admin", "users", filters],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/admin/users", {
          params: {
            query: {
              q: filters.q || null,
              role: filters.role,
              status: filters.status,
              limit: PAGE,
              cursor: pageParam,
            },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: nextCursor,
    placeholderData: keepPreviousData,
  });
}

/** A small search for pickers (providers or patients by name). */
export function useUserSearch(role: "provider" | "patient", q: string, enabled = true) {
  return useQuery({
    queryKey: ["admin", "users", "search", role, q],
    queryFn: () =>
      unwrap(
        api.GET("/api/admin/users", {
          params: { query: { role, status: "active", q: q || null, limit: 20 } },
        }),
      ),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useUser(userId: string) {
  return useQuery({
    queryKey: ["admin", "users", "one", userId],
    queryFn: () => unwrap(api.GET("/api/admin/users/{user_id}", { params: { path: { user_id: userId } } })),
  });
}

function useAdminMutation<TVars, TData>(mutationFn: (vars: TVars) => Promise<TData>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["admin"] }),
  });
}

export function useInviteProvider() {
  return useAdminMutation((body: Schemas["ProviderCreate"]) => unwrap(api.POST("/api/admin/providers", { body })));
}

export function useUpdateUser() {
  return useAdminMutation(({ userId, body }: { userId: string; body: Schemas["UserUpdate"] }) =>
    unwrap(api.PATCH("/api/admin/users/{user_id}", { params: { path: { user_id: userId } }, body })),
  );
}

export function useEraseUser() {
  return useAdminMutation((userId: string) =>
    unwrap(api.DELETE("/api/admin/users/{user_id}", { params: { path: { user_id: userId } } })),
  );
}

export function useRelationships(filters: {
  providerId?: string | null;
  patientId?: string | null;
  includeEnded: boolean;
}) {
  return useInfiniteQuery({
    queryKey: ["admin", "relationships", filters],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/admin/relationships", {
          params: {
            query: {
              provider_id: filters.providerId ?? null,
              patient_id: filters.patientId ?? null,
              include_ended: filters.includeEnded,
              limit: PAGE,
              cursor: pageParam,
            },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useRecordRelationship() {
  return useAdminMutation((body: Schemas["AdminRelationshipCreate"]) =>
    unwrap(api.POST("/api/admin/relationships", { body })),
  );
}

export function useEndRelationship() {
  return useAdminMutation((relationshipId: string) =>
    unwrap(
      api.DELETE("/api/admin/relationships/{relationship_id}", {
        params: { path: { relationship_id: relationshipId } },
      }),
    ),
  );
}

export function useAuditLog(filters: AuditFilters, timeZone: string) {
  return useInfiniteQuery({
    queryKey: ["admin", "audit", filters, timeZone],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/audit-logs", {
          params: { query: { ...auditQuery(filters, timeZone), limit: PAGE, cursor: pageParam } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: nextCursor,
    placeholderData: keepPreviousData,
  });
}

/** Verification reads the whole chain: it runs when asked for, never on page load. */
export function useVerifyChain() {
  return useMutation({ mutationFn: () => unwrap(api.GET("/api/audit-logs/verify")) });
}

export function useClinicAppointments(filters: AppointmentFilters, timeZone: string) {
  return useInfiniteQuery({
    queryKey: ["admin", "appointments", filters, timeZone],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/appointments", {
          params: { query: { ...appointmentQuery(filters, timeZone), limit: PAGE, cursor: pageParam } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useClinicPrescriptions(filters: PrescriptionFilters) {
  return useInfiniteQuery({
    queryKey: ["admin", "prescriptions", filters],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/admin/prescriptions", {
          params: {
            query: {
              status: filters.status,
              provider_id: filters.providerId,
              limit: PAGE,
              cursor: pageParam,
            },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useJobs(status: Job["status"] | null) {
  return useInfiniteQuery({
    queryKey: ["admin", "jobs", status],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/admin/jobs", { params: { query: { status, limit: PAGE, cursor: pageParam } } })),
    initialPageParam: null as string | null,
    getNextPageParam: nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useRetryJob() {
  return useAdminMutation((jobId: string) =>
    unwrap(api.POST("/api/admin/jobs/{job_id}/retry", { params: { path: { job_id: jobId } } })),
  );
}
