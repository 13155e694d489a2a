import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export type Goal = Schemas["GoalRead"];
export type GoalCreate = Schemas["GoalCreate"];
export type GoalUpdate = Schemas["GoalUpdate"];

export function useGoals(status: "active" | null) {
  return useQuery({
    queryKey: ["goals", "list", status],
    queryFn: () => unwrap(api.GET("/api/goals", { params: { query: { status, limit: 100 } } })),
  });
}

export function useCreateGoal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: GoalCreate) => unwrap(api.POST("/api/goals", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["goals"] }),
  });
}

export function useUpdateGoal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string } & GoalUpdate) =>
      unwrap(api.PATCH("/api/goals/{goal_id}", { params: { path: { goal_id: id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["goals"] }),
  });
}

export function useDeleteGoal() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/api/goals/{goal_id}", { params: { path: { goal_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["goals"] }),
  });
}

export function useRecordProgress() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string } & Schemas["ProgressEntryCreate"]) =>
      unwrap(api.POST("/api/goals/{goal_id}/progress", { params: { path: { goal_id: id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["goals"] }),
  });
}
