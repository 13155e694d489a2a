import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, unwrap, type Schemas } from "../../api/client";

export type Device = Schemas["DeviceRead"];

export function useDevices() {
  return useInfiniteQuery({
    queryKey: ["devices"],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/devices", { params: { query: { cursor: pageParam, limit: 50 } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

function useDeviceMutation<TArgs, TResult>(mutationFn: (args: TArgs) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: ["devices"] }) });
}

export function useRegisterDevice() {
  return useDeviceMutation((body: Schemas["DeviceCreate"]) => unwrap(api.POST("/api/devices", { body })));
}

export function useUpdateDevice() {
  return useDeviceMutation(({ id, ...body }: { id: string } & Schemas["DeviceUpdate"]) =>
    unwrap(api.PATCH("/api/devices/{device_id}", { params: { path: { device_id: id } }, body })),
  );
}

export function useRotateKey() {
  return useDeviceMutation((id: string) =>
    unwrap(api.POST("/api/devices/{device_id}/rotate-key", { params: { path: { device_id: id } } })),
  );
}

export function useDeleteDevice() {
  return useDeviceMutation((id: string) =>
    unwrap(api.DELETE("/api/devices/{device_id}", { params: { path: { device_id: id } } })),
  );
}
