"""Requests of the export endpoints (PDF report, FHIR bundle, CSV) and the prescription PDF."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field, SecretStr, field_validator, model_validator

from healix.biomarker_catalog import BIOMARKER_CODES
from healix.schemas.common import AwareDatetime, RequestSchema

#: bounds that keep every time-zone conversion of a period inside datetime's range
MIN_YEAR, MAX_YEAR = 1900, 2999


class PeriodQuery(RequestSchema):
    patient_id: uuid.UUID | None = Field(
        default=None, description="Whose data; defaults to the signed-in patient"
    )
    from_: AwareDatetime | None = Field(
        default=None, alias="from", description="Start of the period (ISO 8601 with offset)"
    )
    to: AwareDatetime | None = Field(
        default=None, description="End of the period (ISO 8601 with offset)"
    )

    @field_validator("from_", "to")
    @classmethod
    def _plausible_year(cls, value: datetime | None) -> datetime | None:
        if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
            raise ValueError(f"must be between the years {MIN_YEAR} and {MAX_YEAR}")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> PeriodQuery:
        if self.from_ is not None and self.to is not None and self.from_ >= self.to:
            raise ValueError("`from` must be before `to`")
        return self


class ReportQuery(PeriodQuery):
    """Period of a PDF report; it defaults to the last 30 days."""


class EncryptedReportRequest(PeriodQuery):
    password: SecretStr = Field(
        min_length=8, max_length=128, description="Password needed to open the PDF"
    )


class ReadingsCsvQuery(PeriodQuery):
    type: str | None = Field(default=None, description="Only this biomarker type")

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str | None) -> str | None:
        if value is not None and value not in BIOMARKER_CODES:
            raise ValueError(f"must be one of: {', '.join(BIOMARKER_CODES)}")
        return value


class FhirQuery(RequestSchema):
    patient_id: uuid.UUID | None = Field(
        default=None, description="Whose data; defaults to the signed-in patient"
    )


class PrescriptionPdfPath(RequestSchema):
    prescription_id: uuid.UUID
