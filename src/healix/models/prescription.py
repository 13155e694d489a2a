from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, TimestampMixin, enum_check, enum_column, uuid_pk


class PrescriptionStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class Prescription(TimestampMixin, Base):
    __tablename__ = "prescriptions"
    __table_args__ = (
        enum_check("status", PrescriptionStatus),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("refills_allowed >= 0", name="refills_allowed_non_negative"),
        CheckConstraint(
            "refills_left >= 0 AND refills_left <= refills_allowed", name="refills_left_range"
        ),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        Index("ix_prescriptions_patient_status", "patient_id", "status"),
        Index("ix_prescriptions_provider_status", "provider_id", "status"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    medication_name: Mapped[str] = mapped_column(String(200))
    dosage: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[str | None] = mapped_column(Text)
    quantity: Mapped[int]
    refills_allowed: Mapped[int] = mapped_column(default=0)
    refills_left: Mapped[int] = mapped_column(default=0)
    start_date: Mapped[date]
    end_date: Mapped[date | None]
    status: Mapped[str] = enum_column(PrescriptionStatus, default=PrescriptionStatus.ACTIVE)
