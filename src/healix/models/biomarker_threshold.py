from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, Double, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from healix.models.base import Base, uuid_pk
from healix.models.biomarker import BIOMARKER_TYPE_CHECK
from healix.utils.time import utcnow


class BiomarkerThreshold(Base):
    """A patient's personal thresholds for one type, merged over the catalog defaults."""

    __tablename__ = "biomarker_thresholds"
    __table_args__ = (
        CheckConstraint(BIOMARKER_TYPE_CHECK, name="biomarker_type"),
        UniqueConstraint("patient_id", "biomarker_type"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    patient_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    biomarker_type: Mapped[str] = mapped_column(String(40))
    warning_min: Mapped[float | None] = mapped_column(Double)
    warning_max: Mapped[float | None] = mapped_column(Double)
    critical_min: Mapped[float | None] = mapped_column(Double)
    critical_max: Mapped[float | None] = mapped_column(Double)
    updated_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
