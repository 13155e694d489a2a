import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";
import { ApiError } from "../../api/errors";

export type CalendarFeed = Schemas["CalendarFeedRead"];
export type CreatedCalendarFeed = Schemas["CalendarFeedCreated"];

/** The live calendar feed, or null when there is none (the API answers 404). */
export const calendarFeedQuery = queryOptions({
  queryKey: ["calendar-feed"],
  queryFn: async (): Promise<CalendarFeed | null> => {
    try {
      return await unwrap<CalendarFeed>(api.GET("/api/users/me/calendar-feed"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
});

export function useCalendarFeed() {
  return useQuery(calendarFeedQuery);
}

/** A new feed; its URL comes only in this answer (the server keeps a hash), so it lives in
 * the mutation's result, in memory, and nowhere else. */
export function useCreateCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap<CreatedCalendarFeed>(api.POST("/api/users/me/calendar-feed")),
    onSuccess: (feed) => {
      const live: CalendarFeed = { id: feed.id, created_at: feed.created_at };
      queryClient.setQueryData<CalendarFeed | null>(calendarFeedQuery.queryKey, live);
    },
  });
}

export function useRevokeCalendarFeed() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/users/me/calendar-feed")),
    onSuccess: () => {
      queryClient.setQueryData<CalendarFeed | null>(calendarFeedQuery.queryKey, null);
    },
  });
}
