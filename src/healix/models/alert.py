from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Double, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, TimestampMixin, enum_check, enum_column, uuid_pk
from healix.models.biomarker import BIOMARKER_TYPE_CHECK
from healix.utils.time import utcnow


class AlertSeverity(StrEnum):
    WARNING = "warning"
    CRITICAL = "critical"


class AlertStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class Alert(TimestampMixin, Base):
    """A threshold breach. At most one open alert per patient, type and severity."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(BIOMARKER_TYPE_CHECK, name="biomarker_type"),
        enum_check("severity", AlertSeverity),
        enum_check("status", AlertStatus),
        CheckConstraint("occurrences >= 1", name="occurrences_positive"),
        Index("ix_alerts_patient_status", "patient_id", "status"),
        Index(
            "uq_alerts_open_per_type",
            "patient_id",
            "biomarker_type",
            "severity",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    biomarker_type: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = enum_column(AlertSeverity)
    threshold_value: Mapped[float | None] = mapped_column(Double)
    observed_value: Mapped[float] = mapped_column(Double)
    last_value: Mapped[float] = mapped_column(Double)
    message: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = enum_column(AlertStatus, default=AlertStatus.OPEN)
    occurrences: Mapped[int] = mapped_column(default=1)
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    status_changed_at: Mapped[datetime | None]
    status_note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None]
