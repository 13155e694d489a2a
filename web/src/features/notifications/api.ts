import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export type Notification = Schemas["NotificationRead"];
type Status = "unread" | "read" | "dismissed";

/** How many unread notifications the bell counts before it says "99+". */
export const UNREAD_LIMIT = 100;

/** Unread notifications (newest first): the bell and the dashboard share this one request. */
export function useUnreadNotifications() {
  return useQuery({
    queryKey: ["notifications", "unread"],
    queryFn: () =>
      unwrap(api.GET("/api/notifications", { params: { query: { status: "unread", limit: UNREAD_LIMIT } } })),
    refetchInterval: 60_000,
  });
}

export function useNotificationList(status: Status | null) {
  return useInfiniteQuery({
    queryKey: ["notifications", "list", status],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/notifications", { params: { query: { status, cursor: pageParam, limit: 25 } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export function useMarkNotification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: "read" | "dismissed" }) =>
      unwrap(
        api.PATCH("/api/notifications/{notification_id}", {
          params: { path: { notification_id: id } },
          body: { status },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["notifications"] }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/notifications/read-all")),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["notifications"] }),
  });
}
