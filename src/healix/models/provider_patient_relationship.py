from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, enum_check, enum_column, uuid_pk
from healix.utils.time import utcnow


class RelationshipKind(StrEnum):
    #: consent given by the patient (or recorded by an admin)
    CARE = "care"
    #: "break glass": a provider's time-limited access without consent, always audited
    EMERGENCY = "emergency"


class ProviderPatientRelationship(Base):
    """A consent record: while active (not ended, not expired) the provider may see the
    patient's health data. controllers/access.py is the only reader of this rule."""

    __tablename__ = "provider_patient_relationships"
    __table_args__ = (
        enum_check("kind", RelationshipKind),
        CheckConstraint("provider_id <> patient_id", name="distinct_parties"),
        CheckConstraint(
            "valid_until IS NULL OR valid_until > valid_from", name="valid_until_after_from"
        ),
        Index("ix_provider_patient_relationships_pair", "provider_id", "patient_id"),
        Index("ix_provider_patient_relationships_patient", "patient_id"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = enum_column(RelationshipKind, default=RelationshipKind.CARE)
    granted_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[datetime] = mapped_column(default=utcnow)
    valid_until: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
