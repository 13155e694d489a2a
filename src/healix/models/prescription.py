from __future__ import annotations

import uuid
from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, ColumnElement, ForeignKey, Index, String, Text, and_, or_
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, TimestampMixin, enum_check, enum_column, uuid_pk
from healix.utils.time import utcnow


class PrescriptionStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


#: states a prescription never leaves
FINAL_STATUSES = frozenset(
    {PrescriptionStatus.COMPLETED, PrescriptionStatus.CANCELLED, PrescriptionStatus.EXPIRED}
)


def prescription_today() -> date:
    """The day against which end dates are judged (UTC, like every stored time)."""
    return utcnow().date()


def effective_status(status: str, end_date: date | None, today: date | None = None) -> str:
    """The status rule: an active prescription whose end date has passed is expired.

    It is computed whenever a prescription is read or filtered, so it is exact at every
    moment without waiting for a background job (`upkeep end-prescriptions` stores it later,
    to tell the patient once); `Prescription.status_is` is the same rule in SQL.
    """
    today = today or prescription_today()
    if status == PrescriptionStatus.ACTIVE and end_date is not None and end_date < today:
        return PrescriptionStatus.EXPIRED
    return status


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

    @property
    def effective_status(self) -> str:
        """The status as of today (see `effective_status`)."""
        return effective_status(self.status, self.end_date)

    def status_on(self, today: date) -> str:
        """The status as of `today` (see `effective_status`)."""
        return effective_status(self.status, self.end_date, today)

    @classmethod
    def status_is(cls, status: str, today: date | None = None) -> ColumnElement[bool]:
        """SQL for "the effective status is `status`" (see `effective_status`)."""
        today = today or prescription_today()
        lapsed = and_(cls.end_date.is_not(None), cls.end_date < today)
        is_active = cls.status == PrescriptionStatus.ACTIVE
        if status == PrescriptionStatus.ACTIVE:
            return and_(is_active, ~lapsed)
        if status == PrescriptionStatus.EXPIRED:
            return or_(cls.status == PrescriptionStatus.EXPIRED, and_(is_active, lapsed))
        return cls.status == status
