import { useMutation } from "@tanstack/react-query";

import { api, saveDownload, unwrap } from "../../api/client";
import type { BiomarkerCode } from "../biomarkers/api";

export interface ExportPeriod {
  from: string;
  to: string;
}

export function downloadReport(period: ExportPeriod, password: string | null): Promise<void> {
  if (password) {
    return saveDownload(
      api.POST("/api/export/report.pdf", { body: { from: period.from, to: period.to, password }, parseAs: "blob" }),
      "healix-report.pdf",
    );
  }
  return saveDownload(
    api.GET("/api/export/report.pdf", { params: { query: { from: period.from, to: period.to } }, parseAs: "blob" }),
    "healix-report.pdf",
  );
}

/** The FHIR bundle of the period, or of the whole record when `period` is null. */
export function downloadFhir(period: ExportPeriod | null): Promise<void> {
  const query = period ? { from: period.from, to: period.to } : {};
  return saveDownload(api.GET("/api/export/fhir", { params: { query }, parseAs: "blob" }), "healix-fhir.json");
}

export function downloadCsv(period: ExportPeriod, type: BiomarkerCode | null): Promise<void> {
  return saveDownload(
    api.GET("/api/export/readings.csv", {
      params: { query: { from: period.from, to: period.to, type } },
      parseAs: "blob",
    }),
    "healix-readings.csv",
  );
}

export function useDeleteAccount() {
  return useMutation({
    mutationFn: (password: string) => unwrap(api.DELETE("/api/users/me", { body: { password } })),
  });
}
