import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";

import { api, unwrap, type Schemas } from "../../api/client";
import { ApiError, toApiError } from "../../api/errors";
import { CLIENT_HEADER, CLIENT_HEADER_VALUE, getAccessToken, refreshSession } from "../../api/session";

export type DataImport = Schemas["ImportRead"];
export type ImportFormat = NonNullable<Schemas["ImportUpload"]["format"]>;

const FINISHED = new Set(["done", "failed", "cancelled"]);

export function isFinished(item: DataImport): boolean {
  return FINISHED.has(item.status);
}

export const importKeys = {
  all: ["imports"] as const,
  one: (id: string) => ["imports", id] as const,
};

export function useImports() {
  return useQuery({
    queryKey: importKeys.all,
    queryFn: () => unwrap(api.GET("/api/imports", { params: { query: { limit: 50 } } })),
    // while an import runs, its counts grow: look again every two seconds
    refetchInterval: (query) => (query.state.data?.items.some((item) => !isFinished(item)) ? 2000 : false),
  });
}

export function useImport(id: string | null) {
  return useQuery({
    queryKey: importKeys.one(id ?? ""),
    queryFn: () => unwrap(api.GET("/api/imports/{import_id}", { params: { path: { import_id: id ?? "" } } })),
    enabled: id !== null,
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data && isFinished(query.state.data) ? false : 1000),
  });
}

export function cancelImport(id: string): Promise<DataImport> {
  return unwrap(api.POST("/api/imports/{import_id}/cancel", { params: { path: { import_id: id } } }));
}

/** One XMLHttpRequest upload (fetch reports no upload progress); `onProgress` gets 0..1. */
function send(form: FormData, onProgress: (fraction: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/imports");
    const token = getAccessToken();
    if (token) request.setRequestHeader("Authorization", `Bearer ${token}`);
    request.setRequestHeader(CLIENT_HEADER, CLIENT_HEADER_VALUE);
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText) as unknown;
      } catch {
        body = null;
      }
      resolve({ status: request.status, body });
    });
    request.addEventListener("error", () => {
      reject(new TypeError("network error"));
    });
    request.send(form);
  });
}

/** Upload a file as a new import: its progress (0..1), the created import, or the error. */
export function useUploadImport() {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const upload = useCallback(
    async (file: File, format: ImportFormat | null): Promise<DataImport | null> => {
      const form = new FormData();
      form.append("file", file);
      if (format) form.append("format", format);
      setPending(true);
      setError(null);
      setProgress(0);
      try {
        let answer = await send(form, setProgress);
        if (answer.status === 401 && (await refreshSession())) answer = await send(form, setProgress);
        if (answer.status !== 202) {
          throw toApiError(new Response(null, { status: answer.status }), answer.body);
        }
        setProgress(1);
        await queryClient.invalidateQueries({ queryKey: importKeys.all });
        return answer.body as DataImport;
      } catch (caught) {
        setError(caught instanceof ApiError || caught instanceof TypeError ? caught : new TypeError(String(caught)));
        setProgress(null);
        return null;
      } finally {
        setPending(false);
      }
    },
    [queryClient],
  );
  return { upload, progress, error, pending };
}
