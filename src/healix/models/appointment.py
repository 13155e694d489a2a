from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, TimestampMixin, enum_check, enum_column, uuid_pk


class AppointmentStatus(StrEnum):
    #: booked by a patient with a provider who confirms bookings; holds the slot meanwhile
    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


#: the statuses that hold a slot: no two appointments in them may overlap for one provider or
#: one patient (the overlap query and, on PostgreSQL, the exclusion constraints of migration 060)
HOLDS_SLOT: tuple[AppointmentStatus, ...] = (
    AppointmentStatus.REQUESTED,
    AppointmentStatus.SCHEDULED,
)


class Appointment(TimestampMixin, Base):
    """A booked slot. On PostgreSQL two exclusion constraints (migrations 003, 060) forbid
    overlapping requested or scheduled appointments of one provider or one patient."""

    __tablename__ = "appointments"
    __table_args__ = (
        enum_check("status", AppointmentStatus),
        CheckConstraint("end_time > start_time", name="end_after_start"),
        Index("ix_appointments_provider_start", "provider_id", "start_time"),
        Index("ix_appointments_patient_start", "patient_id", "start_time"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    start_time: Mapped[datetime]
    end_time: Mapped[datetime]
    status: Mapped[str] = enum_column(AppointmentStatus, default=AppointmentStatus.SCHEDULED)
    reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    provider_notes: Mapped[str | None] = mapped_column(Text)
    cancellation_reason: Mapped[str | None] = mapped_column(Text)
    cancelled_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    status_changed_at: Mapped[datetime | None]
    reschedule_count: Mapped[int] = mapped_column(default=0)
    location: Mapped[str | None] = mapped_column(String(200))
