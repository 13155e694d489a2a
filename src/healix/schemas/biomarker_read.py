"""Reading biomarker data: latest values, history pages and time-bucketed summaries."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import Field

from healix.schemas.common import BiomarkerCode, PageQuery, PeriodQuery, RequestSchema, Schema


class Bucket(StrEnum):
    HOUR = "hour"
    DAY = "day"
    WEEK = "week"


class CurrentQuery(RequestSchema):
    patient_id: uuid.UUID | None = Field(
        default=None, description="The patient (default: yourself; required for providers)"
    )


class HistoryQuery(PeriodQuery, PageQuery):
    patient_id: uuid.UUID | None = Field(default=None, description="Default: yourself")
    type: BiomarkerCode | None = Field(
        default=None,
        description="Biomarker type code (optional: all types when omitted, merged newest first)",
    )
    include_faulty: bool = Field(default=False, description="Include readings marked faulty")


class SummaryQuery(PeriodQuery):
    patient_id: uuid.UUID | None = Field(default=None, description="Default: yourself")
    type: BiomarkerCode = Field(description="Biomarker type code")
    bucket: Bucket = Bucket.DAY


class ReadingRead(Schema):
    id: uuid.UUID
    biomarker_type: str
    value: float
    unit: str
    measured_at: datetime
    status: str
    fault_reason: str | None = None
    source: str
    device_id: uuid.UUID | None = None


class CurrentReading(Schema):
    id: uuid.UUID
    biomarker_type: str
    value: float
    unit: str
    measured_at: datetime
    level: Literal["normal", "warning", "critical"]


class CurrentRead(Schema):
    patient_id: uuid.UUID
    readings: list[CurrentReading]


class BucketRead(Schema):
    start: datetime = Field(description="Bucket start in the patient's time zone, with offset")
    count: int
    sum: float
    avg: float | None
    min: float | None
    max: float | None
    in_range: int = Field(
        description="Readings of the bucket inside the patient's normal band (0 when the type "
        "has no thresholds)"
    )


class SummaryRead(Schema):
    patient_id: uuid.UUID
    biomarker_type: str
    unit: str
    bucket: Bucket
    timezone: str
    start: datetime = Field(description="Start of the first bucket (patient's time zone)")
    end: datetime = Field(description="End of the range (exclusive)")
    items: list[BucketRead]
    time_in_range: float | None = Field(
        description="Share (0-1) of the range's non-faulty readings inside the patient's normal "
        "band (no warning or critical bound crossed, with their personal thresholds); null "
        "without readings or when the type has no thresholds"
    )
