"""Requests of the export endpoints (PDF report, FHIR bundle, CSV) and the prescription PDF."""

from __future__ import annotations

import uuid

from pydantic import Field, SecretStr

from healix.schemas.common import BiomarkerCode, PeriodQuery


class PatientPeriodQuery(PeriodQuery):
    patient_id: uuid.UUID | None = Field(
        default=None, description="Whose data; defaults to the signed-in patient"
    )


class ReportQuery(PatientPeriodQuery):
    """Period of a PDF report; it defaults to the 30 days before `to` (default: now)."""


class EncryptedReportRequest(PatientPeriodQuery):
    password: SecretStr = Field(
        min_length=8, max_length=128, description="Password needed to open the PDF"
    )


class ReadingsCsvQuery(PatientPeriodQuery):
    type: BiomarkerCode | None = Field(default=None, description="Only this biomarker type")


class FhirQuery(PatientPeriodQuery):
    """`from`/`to` limit every resource with a time (readings, appointments, prescriptions,
    goals, open alerts) to the period; the patient, practitioners and devices come always.
    Without them the bundle holds the whole record."""
