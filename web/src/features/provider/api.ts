/**
 * The provider workspace's TanStack Query hooks. Query keys start with the backend area they
 * read (`patients`, `biomarkers`, `alerts`, `prescriptions`, `appointments`, `schedule`), so
 * a mutation invalidates the same areas as in the portal.
 */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, saveDownload, unwrap, type Schemas } from "../../api/client";
import type { BiomarkerCode, Bucket, Period } from "../biomarkers/api";

export type PatientListing = Schemas["PatientListing"];
export type PatientOverview = Schemas["PatientOverview"];
export type PatientSummary = Schemas["PatientSummary"];
export type Prescription = Schemas["PrescriptionRead"];
/** What the API answers a provider (`AppointmentView`): the shape with private notes. */
export type Appointment = Schemas["AppointmentRead"] & { provider_notes?: string | null };
export type Schedule = Schemas["ScheduleRead"];

const PAGE = 20;

/** My patients with their latest vitals, open alerts, visits and status (one request a page). */
export function usePatientOverview(q: string) {
  return useInfiniteQuery({
    queryKey: ["patients", "overview", q],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/patients/overview", { params: { query: { q: q || null, limit: 100, cursor: pageParam } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
    placeholderData: (previous) => previous,
  });
}

/** Names of the patients in care, by id (one request; lists show names from it). */
export function usePatientNames() {
  return useQuery({
    queryKey: ["patients", "names"],
    queryFn: () => unwrap(api.GET("/api/patients", { params: { query: { limit: 100 } } })),
    select: (page) => new Map(page.items.map((patient) => [patient.id, patient])),
    staleTime: 60_000,
  });
}

export function usePatient(patientId: string) {
  return useQuery({
    queryKey: ["patients", "summary", patientId],
    queryFn: () => unwrap(api.GET("/api/patients/{patient_id}", { params: { path: { patient_id: patientId } } })),
    retry: false,
  });
}

export function useOpenEmergencyAccess() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ patientId, reason }: { patientId: string; reason: string }) =>
      unwrap(
        api.POST("/api/patients/{patient_id}/emergency-access", {
          params: { path: { patient_id: patientId } },
          body: { reason },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["patients"] }),
  });
}

// -- vitals -------------------------------------------------------------------------------

export function usePatientThresholds(patientId: string) {
  return useQuery({
    queryKey: ["biomarkers", "thresholds", patientId],
    queryFn: () => unwrap(api.GET("/api/biomarkers/thresholds", { params: { query: { patient_id: patientId } } })),
  });
}

export function usePatientLatest(patientId: string) {
  return useQuery({
    queryKey: ["biomarkers", "current", patientId],
    queryFn: () => unwrap(api.GET("/api/biomarkers/current", { params: { query: { patient_id: patientId } } })),
  });
}

export function usePatientSummary(patientId: string, type: BiomarkerCode, bucket: Bucket, period: Period) {
  return useQuery({
    queryKey: ["biomarkers", "summary", patientId, type, bucket, period.from, period.to],
    queryFn: () =>
      unwrap(
        api.GET("/api/biomarkers/summary", {
          params: { query: { patient_id: patientId, type, bucket, from: period.from, to: period.to } },
        }),
      ),
    placeholderData: (previous) => (previous?.biomarker_type === type ? previous : undefined),
  });
}

export function useSetThreshold(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ type, ...body }: { type: string } & Schemas["ThresholdUpdate"]) =>
      unwrap(
        api.PUT("/api/biomarkers/thresholds/{biomarker_type}", {
          params: { path: { biomarker_type: type }, query: { patient_id: patientId } },
          body,
        }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["biomarkers"] }),
        queryClient.invalidateQueries({ queryKey: ["alerts"] }),
      ]),
  });
}

export function useResetThreshold(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (type: string) =>
      unwrap(
        api.DELETE("/api/biomarkers/thresholds/{biomarker_type}", {
          params: { path: { biomarker_type: type }, query: { patient_id: patientId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["biomarkers"] }),
  });
}

// -- alerts -------------------------------------------------------------------------------

export function usePatientAlerts(patientId: string, status: "open" | "acknowledged" | null) {
  return useInfiniteQuery({
    queryKey: ["alerts", "patient", patientId, status],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/alerts", {
          params: { query: { patient_id: patientId, status, limit: PAGE, cursor: pageParam } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

// -- prescriptions ------------------------------------------------------------------------

export function usePatientPrescriptions(patientId: string) {
  return useInfiniteQuery({
    queryKey: ["prescriptions", "patient", patientId],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/prescriptions", { params: { query: { patient_id: patientId, limit: PAGE, cursor: pageParam } } }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

/** Prescriptions with a pending refill request: the refill queue. */
export function useRefillQueue() {
  return useInfiniteQuery({
    queryKey: ["prescriptions", "refill-queue"],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/prescriptions", {
          params: { query: { refill_status: "pending", limit: PAGE, cursor: pageParam } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

export function useWritePrescription() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["PrescriptionCreate"]) => unwrap(api.POST("/api/prescriptions", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["prescriptions"] }),
  });
}

export function useChangePrescription() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string } & Schemas["PrescriptionUpdate"]) =>
      unwrap(api.PATCH("/api/prescriptions/{prescription_id}", { params: { path: { prescription_id: id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["prescriptions"] }),
  });
}

export function useDecideRefill() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      prescriptionId,
      refillId,
      ...body
    }: { prescriptionId: string; refillId: string } & Schemas["RefillDecision"]) =>
      unwrap(
        api.PATCH("/api/prescriptions/{prescription_id}/refill-requests/{refill_id}", {
          params: { path: { prescription_id: prescriptionId, refill_id: refillId } },
          body,
        }),
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["prescriptions"] }),
        queryClient.invalidateQueries({ queryKey: ["notifications"] }),
      ]),
  });
}

// -- appointments and schedule --------------------------------------------------------------

export function usePatientAppointments(patientId: string) {
  return useInfiniteQuery({
    queryKey: ["appointments", "patient", patientId],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/appointments", {
          params: { query: { patient_id: patientId, order: "desc", limit: PAGE, cursor: pageParam } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
  });
}

/** The provider's appointments in [from, to) (a day or a week of the calendar). */
export function useCalendar(period: Period) {
  return useQuery({
    queryKey: ["appointments", "calendar", period.from, period.to],
    queryFn: () =>
      unwrap(api.GET("/api/appointments", { params: { query: { from: period.from, to: period.to, limit: 100 } } })),
    placeholderData: (previous) => previous,
  });
}

/** Requests waiting for an answer, soonest first. */
export function useAppointmentRequests() {
  return useQuery({
    queryKey: ["appointments", "requests"],
    queryFn: () => unwrap(api.GET("/api/appointments", { params: { query: { status: "requested", limit: 50 } } })),
  });
}

function useAppointmentMutation<T>(call: (variables: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ["appointments"] }),
        queryClient.invalidateQueries({ queryKey: ["availability"] }),
      ]),
  });
}

export function useConfirmAppointment() {
  return useAppointmentMutation((id: string) =>
    unwrap(api.POST("/api/appointments/{appointment_id}/confirm", { params: { path: { appointment_id: id } } })),
  );
}

export function useDeclineAppointment() {
  return useAppointmentMutation(({ id, reason }: { id: string; reason: string }) =>
    unwrap(
      api.POST("/api/appointments/{appointment_id}/decline", {
        params: { path: { appointment_id: id } },
        body: { reason },
      }),
    ),
  );
}

export function useUpdateAppointment() {
  return useAppointmentMutation(({ id, ...body }: { id: string } & Schemas["AppointmentUpdate"]) =>
    unwrap(api.PATCH("/api/appointments/{appointment_id}", { params: { path: { appointment_id: id } }, body })),
  );
}

export function useMySchedule() {
  return useQuery({
    queryKey: ["schedule", "me"],
    queryFn: () => unwrap(api.GET("/api/providers/me/schedule")),
  });
}

export function useSetSchedule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ScheduleUpdate"]) => unwrap(api.PUT("/api/providers/me/schedule", { body })),
    onSuccess: (schedule) => {
      queryClient.setQueryData(["schedule", "me"], schedule);
      return queryClient.invalidateQueries({ queryKey: ["availability"] });
    },
  });
}

export function downloadPatientReport(patientId: string, period: Period): Promise<void> {
  return saveDownload(
    api.GET("/api/export/report.pdf", {
      params: { query: { patient_id: patientId, from: period.from, to: period.to } },
      parseAs: "blob",
    }),
    "healix-report.pdf",
  );
}
