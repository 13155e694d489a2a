"""What the admin console lists across the clinic: care relationships with both parties'
names, and prescriptions with their patient's name."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import Field

from healix.schemas.care import RelationshipRead
from healix.schemas.common import PageQuery, Schema
from healix.schemas.prescription import PrescriptionQuery, PrescriptionRead


class PersonName(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str


class RelationshipListQuery(PageQuery):
    provider_id: uuid.UUID | None = None
    patient_id: uuid.UUID | None = None
    include_ended: bool = Field(
        default=False, description="Also list ended and lapsed relationships"
    )


class AdminRelationshipRead(RelationshipRead):
    """A relationship with both parties' names; `active` says whether it grants access now."""

    provider: PersonName
    patient: PersonName
    active: bool

    @classmethod
    def of(cls, view: Any) -> AdminRelationshipRead:
        """From a RelationshipView (controllers/admin_overview_controller.py)."""
        return cls.model_validate(
            {
                **RelationshipRead.model_validate(view.relationship).model_dump(),
                "provider": PersonName.model_validate(view.provider),
                "patient": PersonName.model_validate(view.patient),
                "active": view.active,
            }
        )


class AdminPrescriptionQuery(PrescriptionQuery):
    provider_id: uuid.UUID | None = Field(default=None, description="The prescriber")


class AdminPrescriptionRead(PrescriptionRead):
    """A prescription with its patient's name, for the clinic-wide overview."""

    patient: PersonName | None = None

    @classmethod
    def of_clinic(cls, view: Any) -> AdminPrescriptionRead:
        read = cls.model_validate(PrescriptionRead.of(view.view).model_dump())
        read.patient = PersonName.model_validate(view.patient) if view.patient else None
        return read
