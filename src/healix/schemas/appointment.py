"""Appointments: booking, listing, changes. `provider_notes` exists only on the provider's
(and admin's) view; a patient is always answered with `AppointmentRead`, which lacks it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal, Self

from pydantic import ConfigDict, Field, RootModel, model_validator

from healix.models.appointment import AppointmentStatus
from healix.models.user import Role
from healix.schemas.care import PatientListing
from healix.schemas.common import AwareDatetime, PageQuery, PeriodQuery, RequestSchema, Schema
from healix.schemas.profile import ProviderListing

MAX_DURATION_MINUTES = 8 * 60


#: a Monday far enough ahead to stay in the future, inside default working hours
EXAMPLE_START = "2030-03-04T10:00:00+00:00"


class AppointmentCreate(RequestSchema):
    """Patients give `provider_id`, providers `patient_id`, admins both."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "provider_id": "0195f1c2-6a3b-7c4d-8e5f-0123456789ab",
                "start_time": EXAMPLE_START,
                "duration_minutes": 30,
                "reason": "Chest tightness when running",
            }
        }
    )

    provider_id: uuid.UUID | None = None
    patient_id: uuid.UUID | None = None
    start_time: AwareDatetime
    end_time: AwareDatetime | None = Field(default=None, description="or duration_minutes")
    duration_minutes: int | None = Field(default=None, ge=5, le=MAX_DURATION_MINUTES)
    reason: str = Field(min_length=1, max_length=2000)
    notes: str | None = Field(default=None, max_length=4000)
    location: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _end_or_duration(self) -> AppointmentCreate:
        if (self.end_time is None) == (self.duration_minutes is None):
            raise ValueError("give exactly one of end_time and duration_minutes")
        if self.end_time is not None and self.end_time <= self.start_time:
            raise ValueError("end_time must be after start_time")
        return self


class AppointmentUpdate(RequestSchema):
    """A reschedule (new times), a status change, or edits of notes; fields left out stay."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {"status": "cancelled", "cancellation_reason": "Feeling better"}
        }
    )

    start_time: AwareDatetime | None = None
    end_time: AwareDatetime | None = None
    duration_minutes: int | None = Field(default=None, ge=5, le=MAX_DURATION_MINUTES)
    status: Literal["completed", "no_show", "cancelled"] | None = None
    cancellation_reason: str | None = Field(default=None, min_length=1, max_length=2000)
    reason: str | None = Field(default=None, min_length=1, max_length=2000)
    notes: str | None = Field(default=None, max_length=4000)
    provider_notes: str | None = Field(default=None, max_length=8000)
    location: str | None = Field(default=None, max_length=200)

    @property
    def reschedules(self) -> bool:
        return bool({"start_time", "end_time", "duration_minutes"} & self.model_fields_set)

    @model_validator(mode="after")
    def _consistent(self) -> AppointmentUpdate:
        if self.end_time is not None and self.duration_minutes is not None:
            raise ValueError("give end_time or duration_minutes, not both")
        if self.status is not None and self.reschedules:
            raise ValueError("change the status or the times, not both at once")
        cancelling = self.status == AppointmentStatus.CANCELLED.value
        if cancelling and not self.cancellation_reason:
            raise ValueError("cancellation_reason is required to cancel")
        if self.cancellation_reason is not None and not cancelling:
            raise ValueError("cancellation_reason is only given when cancelling")
        return self


class AppointmentDecline(RequestSchema):
    """Why the provider cannot take a requested appointment (the patient sees it)."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"reason": "I am away that week; please pick another day."}}
    )

    reason: str = Field(min_length=1, max_length=2000)


class AppointmentQuery(PeriodQuery, PageQuery):
    """`from`/`to` select appointments by start time: from <= start_time < to."""

    status: AppointmentStatus | None = None
    patient_id: uuid.UUID | None = Field(
        default=None, description="Only appointments with this patient (for providers and admins)"
    )
    order: Literal["asc", "desc"] = Field(
        default="asc", description="asc: soonest first; desc: latest first (e.g. past visits)"
    )


class AppointmentPath(RequestSchema):
    appointment_id: uuid.UUID


class AppointmentRead(Schema):
    """An appointment as its patient sees it (no provider_notes)."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "0195f1c2-7b00-7000-8000-00000000a001",
                "patient_id": "0195f1c2-7b00-7000-8000-00000000b001",
                "provider_id": "0195f1c2-6a3b-7c4d-8e5f-0123456789ab",
                "created_by_id": "0195f1c2-7b00-7000-8000-00000000b001",
                "start_time": EXAMPLE_START,
                "end_time": "2030-03-04T10:30:00+00:00",
                "status": "scheduled",
                "reason": "Chest tightness when running",
                "notes": None,
                "location": None,
                "cancellation_reason": None,
                "cancelled_by_id": None,
                "status_changed_at": None,
                "reschedule_count": 0,
                "created_at": "2030-02-25T08:00:00+00:00",
                "updated_at": "2030-02-25T08:00:00+00:00",
            }
        }
    )

    id: uuid.UUID
    patient_id: uuid.UUID
    provider_id: uuid.UUID
    created_by_id: uuid.UUID | None
    start_time: datetime
    end_time: datetime
    status: str
    reason: str | None
    notes: str | None
    location: str | None
    cancellation_reason: str | None
    cancelled_by_id: uuid.UUID | None
    status_changed_at: datetime | None
    reschedule_count: int
    created_at: datetime
    updated_at: datetime
    provider: ProviderListing | None = Field(default=None, description="The provider's name")
    patient: PatientListing | None = Field(default=None, description="The patient's name")

    @classmethod
    def of(cls, appointment: Any, people: Mapping[uuid.UUID, Any]) -> Self:
        """The appointment with both parties' public names (`people` by user id)."""
        read = cls.model_validate(appointment)
        provider, patient = people.get(appointment.provider_id), people.get(appointment.patient_id)
        read.provider = ProviderListing.model_validate(provider) if provider else None
        read.patient = PatientListing.model_validate(patient) if patient else None
        return read


class AppointmentProviderRead(AppointmentRead):
    """The provider's and admin's view: adds the provider's private notes."""

    model_config = ConfigDict(json_schema_extra=None)

    provider_notes: str | None


class AppointmentView(RootModel[AppointmentProviderRead | AppointmentRead]):
    """What the API answers: the provider's view (providers, admins) or the patient's."""


def read_schema_for(role: str) -> type[AppointmentRead]:
    """The response shape an actor may see: patients never get provider_notes."""
    return AppointmentRead if role == Role.PATIENT else AppointmentProviderRead
