import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, saveDownload, unwrap, type Schemas } from "../../api/client";

export type Appointment = Schemas["AppointmentRead"];

/** Appointments from now on, soonest first (only scheduled ones when `scheduledOnly`). */
export function useUpcomingAppointments(limit: number, scheduledOnly: boolean) {
  return useInfiniteQuery({
    queryKey: ["appointments", "upcoming", limit, scheduledOnly],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/appointments", {
          params: {
            query: {
              status: scheduledOnly ? "scheduled" : null,
              from: new Date().toISOString(),
              limit,
              cursor: pageParam,
            },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export function usePastAppointments() {
  return useInfiniteQuery({
    queryKey: ["appointments", "past"],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/appointments", {
          params: { query: { to: new Date().toISOString(), order: "desc", limit: 20, cursor: pageParam } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export function useProviderDirectory(q: string) {
  return useQuery({
    queryKey: ["providers", q],
    queryFn: () => unwrap(api.GET("/api/providers", { params: { query: { q: q || null, limit: 50 } } })),
    placeholderData: (previous) => previous,
  });
}

export function useAvailability(providerId: string | null, date: string, duration: number) {
  return useQuery({
    queryKey: ["availability", providerId, date, duration],
    queryFn: () =>
      unwrap(
        api.GET("/api/providers/{provider_id}/availability", {
          params: { path: { provider_id: providerId ?? "" }, query: { date, duration_minutes: duration } },
        }),
      ),
    enabled: providerId !== null && date !== "",
    staleTime: 10_000,
  });
}

export function useBookAppointment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["AppointmentCreate"]) => unwrap(api.POST("/api/appointments", { body })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["appointments"] }),
        queryClient.invalidateQueries({ queryKey: ["availability"] }),
      ]),
  });
}

export function useChangeAppointment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string } & Schemas["AppointmentUpdate"]) =>
      unwrap(api.PATCH("/api/appointments/{appointment_id}", { params: { path: { appointment_id: id } }, body })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["appointments"] }),
        queryClient.invalidateQueries({ queryKey: ["availability"] }),
      ]),
  });
}

export function downloadCalendar(id: string): Promise<void> {
  return saveDownload(
    api.GET("/api/appointments/{appointment_id}/calendar.ics", {
      params: { path: { appointment_id: id } },
      parseAs: "blob",
    }),
    "appointment.ics",
  );
}
