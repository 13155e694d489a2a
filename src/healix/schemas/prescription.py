"""Prescriptions and refill requests."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field, field_validator, model_validator

from healix.models.prescription import PrescriptionStatus, effective_status
from healix.models.refill_request import RefillStatus
from healix.schemas.common import OMITTABLE, PageQuery, RequestSchema, Schema
from healix.schemas.profile import ProviderListing


class PrescriptionCreate(RequestSchema):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "patient_id": "0195f1c2-7b00-7000-8000-00000000b001",
                "medication_name": "Amoxicillin",
                "dosage": "500 mg three times daily",
                "quantity": 21,
                "refills_allowed": 1,
                "start_date": "2030-03-04",
                "end_date": "2030-03-11",
            }
        }
    )

    patient_id: uuid.UUID
    medication_name: str = Field(min_length=1, max_length=200)
    dosage: str = Field(min_length=1, max_length=200, description="e.g. 10 mg once daily")
    instructions: str | None = Field(default=None, max_length=2000)
    quantity: int = Field(gt=0, le=10_000)
    refills_allowed: int = Field(default=0, ge=0, le=100)
    start_date: date
    end_date: date | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> PrescriptionCreate:
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError("end_date must be on or after start_date")
        return self


class PrescriptionClosingStatus(StrEnum):
    COMPLETED = PrescriptionStatus.COMPLETED.value
    CANCELLED = PrescriptionStatus.CANCELLED.value


class PrescriptionUpdate(RequestSchema):
    """What the prescriber may change; `status` only closes an active prescription."""

    instructions: str | None = Field(default=None, max_length=2000)
    end_date: date | None = None
    status: PrescriptionClosingStatus | None = OMITTABLE

    @field_validator("status")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise ValueError("may be omitted but not null")
        return value


class PrescriptionQuery(PageQuery):
    status: PrescriptionStatus | None = None
    patient_id: uuid.UUID | None = None
    refill_status: RefillStatus | None = Field(
        default=None,
        description="Only prescriptions with a refill request in this status "
        "(pending: a prescriber's refill queue)",
    )


class PrescriptionRead(Schema):
    id: uuid.UUID
    patient_id: uuid.UUID
    provider_id: uuid.UUID
    medication_name: str
    dosage: str
    instructions: str | None
    quantity: int
    refills_allowed: int
    refills_left: int
    start_date: date
    end_date: date | None
    status: str
    created_at: datetime
    updated_at: datetime

    prescriber: ProviderListing | None = Field(
        default=None, description="The prescribing provider's public name and specialization"
    )
    latest_refill_request: RefillRequestRead | None = Field(
        default=None, description="The newest refill request, if any (its status: pending...)"
    )

    @model_validator(mode="after")
    def _expire_on_read(self) -> PrescriptionRead:
        self.status = effective_status(self.status, self.end_date)
        return self

    @classmethod
    def of(cls, view: Any) -> PrescriptionRead:
        """From a PrescriptionView (controllers/prescription_views.py)."""
        read = cls.model_validate(view.prescription)
        read.prescriber = (
            ProviderListing.model_validate(view.prescriber) if view.prescriber else None
        )
        if view.latest_refill_request is not None:
            read.latest_refill_request = RefillRequestRead.model_validate(
                view.latest_refill_request
            )
        return read


class RefillRequestCreate(RequestSchema):
    note: str | None = Field(default=None, max_length=1000)


class RefillDecisionStatus(StrEnum):
    APPROVED = "approved"
    DENIED = "denied"


class RefillDecision(RequestSchema):
    status: RefillDecisionStatus
    note: str | None = Field(default=None, max_length=1000)


class RefillRequestRead(Schema):
    id: uuid.UUID
    prescription_id: uuid.UUID
    requested_by_id: uuid.UUID | None
    status: str
    note: str | None
    decided_by_id: uuid.UUID | None
    decided_at: datetime | None
    decision_note: str | None
    created_at: datetime


class PrescriptionPath(RequestSchema):
    prescription_id: uuid.UUID


class RefillPath(RequestSchema):
    prescription_id: uuid.UUID
    refill_id: uuid.UUID


PrescriptionRead.model_rebuild()
