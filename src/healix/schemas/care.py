"""Care relationships (consent), emergency access and the provider's view of a patient."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator

from healix.models.profile import Profile
from healix.models.provider_patient_relationship import ProviderPatientRelationship
from healix.models.user import User
from healix.schemas.common import AwareDatetime, PageQuery, RequestSchema, Schema
from healix.utils.pagination import DEFAULT_LIMIT
from healix.utils.time import utcnow

REASON_FIELD = Field(default=None, max_length=500)


class CareGrant(RequestSchema):
    """A patient adds a provider to their care team."""

    provider_id: uuid.UUID
    reason: str | None = REASON_FIELD
    valid_until: AwareDatetime | None = Field(
        default=None, description="When the consent lapses; none = until you end it"
    )

    @field_validator("valid_until")
    @classmethod
    def _in_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value <= utcnow():
            raise ValueError("must be in the future")
        return value


class AdminRelationshipCreate(CareGrant):
    """An admin records a care relationship on a patient's behalf."""

    patient_id: uuid.UUID


class EmergencyAccessCreate(RequestSchema):
    reason: str = Field(min_length=1, max_length=500, description="Why consent cannot wait")


class RelationshipRead(Schema):
    id: uuid.UUID
    provider_id: uuid.UUID
    patient_id: uuid.UUID
    kind: str
    granted_by_id: uuid.UUID | None
    reason: str | None
    valid_from: datetime
    valid_until: datetime | None
    ended_at: datetime | None
    ended_by_id: uuid.UUID | None
    created_at: datetime


class CareTeamMember(Schema):
    """One of the patient's active relationships, with the provider's public details."""

    relationship_id: uuid.UUID
    provider_id: uuid.UUID
    first_name: str
    last_name: str
    specialization: str | None
    kind: str
    reason: str | None
    valid_from: datetime
    valid_until: datetime | None

    @classmethod
    def of(cls, relationship: ProviderPatientRelationship, provider: User) -> CareTeamMember:
        """Combine a relationship row with its provider's public fields."""
        return cls(
            relationship_id=relationship.id,
            provider_id=provider.id,
            first_name=provider.first_name,
            last_name=provider.last_name,
            specialization=provider.specialization,
            kind=relationship.kind,
            reason=relationship.reason,
            valid_from=relationship.valid_from,
            valid_until=relationship.valid_until,
        )


class PatientQuery(PageQuery):
    q: str | None = Field(default=None, max_length=100, description="Part of a name")


class PatientListing(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str
    date_of_birth: date | None = None


class PatientSummary(Schema):
    """What a provider in care (or an admin) sees of a patient."""

    id: uuid.UUID
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    gender: str | None = None
    timezone: str = "UTC"
    health_conditions: list[str] = Field(default_factory=list)
    relationship_kind: str | None = Field(default=None, description="None for admins")
    relationship_valid_until: datetime | None = None

    @classmethod
    def of(
        cls,
        patient: User,
        profile: Profile | None,
        relationship: ProviderPatientRelationship | None,
    ) -> PatientSummary:
        return cls(
            id=patient.id,
            first_name=patient.first_name,
            last_name=patient.last_name,
            date_of_birth=profile.date_of_birth if profile else None,
            gender=profile.gender if profile else None,
            timezone=profile.timezone if profile else "UTC",
            health_conditions=profile.health_conditions if profile else [],
            relationship_kind=relationship.kind if relationship else None,
            relationship_valid_until=relationship.valid_until if relationship else None,
        )


class ProviderPath(RequestSchema):
    provider_id: uuid.UUID


class PatientPath(RequestSchema):
    patient_id: uuid.UUID


class RelationshipPath(RequestSchema):
    relationship_id: uuid.UUID


#: the overview answers at most this many patients per page (each row reads a few tables)
OVERVIEW_MAX_LIMIT = 200


class PatientOverviewQuery(PatientQuery):
    limit: int = Field(
        default=DEFAULT_LIMIT,
        ge=1,
        description=f"Page size (max {OVERVIEW_MAX_LIMIT}; larger is clamped)",
    )

    @field_validator("limit", mode="before")
    @classmethod
    def _clamp_overview(cls, value: Any) -> Any:
        """Like every page, but at most OVERVIEW_MAX_LIMIT rows; below 1 is refused (422)."""
        try:
            number = int(value)
        except (TypeError, ValueError):
            return value
        return min(number, OVERVIEW_MAX_LIMIT) if number >= 1 else value


class OverviewStatus(StrEnum):
    STABLE = "stable"
    NEEDS_ATTENTION = "needs_attention"


class LatestValue(Schema):
    """The newest non-faulty reading of one type (canonical unit of the catalog)."""

    value: float
    unit: str
    recorded_at: datetime


class BloodPressureLatest(Schema):
    """The catalog keeps systolic and diastolic as two types; each has its own latest."""

    systolic: LatestValue | None = None
    diastolic: LatestValue | None = None


class OpenAlertCounts(Schema):
    warning: int = 0
    critical: int = 0


class VisitRead(Schema):
    appointment_id: uuid.UUID
    start_time: datetime
    end_time: datetime


class PatientOverview(Schema):
    """One row of the provider's "My patients": latest vitals, open alerts, visits."""

    id: uuid.UUID
    first_name: str
    last_name: str
    date_of_birth: date | None = None
    heart_rate: LatestValue | None = None
    blood_pressure: BloodPressureLatest
    blood_glucose: LatestValue | None = None
    open_alerts: OpenAlertCounts
    last_visit: VisitRead | None = Field(
        default=None, description="Your latest completed appointment with the patient"
    )
    next_appointment: VisitRead | None = Field(
        default=None, description="Your next scheduled appointment with the patient"
    )
    status: OverviewStatus = Field(description="needs_attention while any alert is open")
